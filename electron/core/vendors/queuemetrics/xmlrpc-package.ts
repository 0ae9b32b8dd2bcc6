// @ts-expect-error -- xmlrpc ships no types for lib/serializer; the part we use is typed below.
import xmlrpcSerializer from 'xmlrpc/lib/serializer.js';
// @ts-expect-error -- xmlrpc ships no types for lib/deserializer; the part we use is typed below.
import XmlRpcDeserializer from 'xmlrpc/lib/deserializer.js';

/**
 * The xmlrpc package's (de)serializer, in a module of its own so that the QueueMetrics client
 * loads it (with its SAX parser and XML builder, ~10–20 ms of start-up) only for a call or an
 * answer the plain codec (net/xmlrpc-plain.ts) declines.
 */
export interface XmlRpcFault extends Error {
  faultCode?: unknown;
  faultString?: unknown;
}

export const serializeMethodCall = (xmlrpcSerializer as { serializeMethodCall(method: string, params: string[]): string }).serializeMethodCall;

export const Deserializer = XmlRpcDeserializer as new (encoding?: string) => {
  deserializeMethodResponse(stream: NodeJS.ReadableStream, cb: (err: XmlRpcFault | null | undefined, value?: unknown) => void): void;
};
