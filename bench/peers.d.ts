// The two npm peers we benchmark against are plain CommonJS without types.
// Node hands an ES module the whole module.exports object as the default
// import, which `export =` plus esModuleInterop describes exactly.

declare module 'black-scholes' {
  type CallPut = 'call' | 'put';
  const blackScholes: {
    /** Black–Scholes on spot s with rate r; with r = 0 and s = F it is Black-76. */
    blackScholes(s: number, k: number, t: number, v: number, r: number, callPut: CallPut): number;
    stdNormCDF(x: number): number;
    getW(s: number, k: number, t: number, v: number, r: number): number;
  };
  export = blackScholes;
}

declare module 'implied-volatility' {
  const impliedVolatility: {
    /** Bisection on the black-scholes package's price; returns its estimate after ≤ 100 steps. */
    getImpliedVolatility(
      expectedCost: number,
      s: number,
      k: number,
      t: number,
      r: number,
      callPut: 'call' | 'put',
      estimate?: number,
    ): number;
  };
  export = impliedVolatility;
}
