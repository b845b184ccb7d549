// Dense solves for the fit's tiny systems (at most 6 unknowns), in place, no allocation
// beyond what the caller hands in.

/**
 * Solves A·x = b for an n×n row-major A by Gaussian elimination with partial pivoting.
 * A and b are overwritten; x lands in b. Returns false when A is singular to working precision.
 */
export function solveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(A[col * n + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(A[r * n + col]!);
      if (v > best) {
        best = v;
        pivot = r;
      }
    }
    if (!(best > 1e-300)) return false;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = A[col * n + c]!;
        A[col * n + c] = A[pivot * n + c]!;
        A[pivot * n + c] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    const diag = A[col * n + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col]! / diag;
      if (f === 0) continue;
      for (let c = col; c < n; c++) A[r * n + c] = A[r * n + c]! - f * A[col * n + c]!;
      b[r] = b[r]! - f * b[col]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < n; c++) s -= A[r * n + c]! * b[c]!;
    b[r] = s / A[r * n + r]!;
  }
  return true;
}
