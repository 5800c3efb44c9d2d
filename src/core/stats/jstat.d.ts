// Minimal types for the parts of jStat (an untyped CommonJS package) that the stats layer uses.
// Only what this folder calls is declared, so a typo elsewhere fails the typecheck.
declare module 'jstat' {
  interface JStat {
    normal: {
      cdf(x: number, mean: number, sd: number): number;
      inv(p: number, mean: number, sd: number): number;
    };
    studentt: {
      inv(p: number, dof: number): number;
    };
    /** log Γ(x). */
    gammaln(x: number): number;
    /** Regularised incomplete beta function I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
  }
  const jStat: JStat & { jStat: JStat };
  export default jStat;
}
