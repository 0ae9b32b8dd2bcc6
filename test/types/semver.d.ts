/**
 * The part of semver (installed with npm, no types of its own) that the engines test uses; a
 * declaration here rather than a dependency on @types/semver for five functions.
 */
declare module 'semver' {
  interface SemVer {
    readonly version: string;
  }
  const semver: {
    gte(a: string | SemVer, b: string | SemVer): boolean;
    minVersion(range: string): SemVer | null;
    coerce(version: string): SemVer | null;
    validRange(range: string): string | null;
    subset(sub: string, dom: string): boolean;
  };
  export default semver;
}
