// Types for node-requirement.js (plain JavaScript, so that an older Node can run it).
export declare const REQUIRED_NODE: string;
export declare function nodeTooOld(version?: string): boolean;
export declare function oldNodeMessage(checkout: string, version?: string, node?: string): string;
