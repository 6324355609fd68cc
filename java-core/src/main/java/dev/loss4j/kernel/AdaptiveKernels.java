package dev.loss4j.kernel;

/**
 * The float32 loops of {@code AdaptiveLogSoftmaxWithLoss} in PyTorch's CPU arithmetic: matrix products whose
 * every output is a sum in float in index order of float products (the reference BLAS order, a multiply and an
 * add each rounded, never fused), and log_softmax with SLEEF's {@code expf_u10} / {@code logf_u1} and ATen's
 * eight-lane float sums.
 *
 * <p>The products run across outputs (columns of the result) rather than along a sum, so each output keeps its
 * sequential order while many are computed at once: on the SIMD path ({@link SimdAdaptive}) in register tiles
 * of four rows by two vectors of columns, without it in a blocked plain loop; both are the same bits as the
 * plain triple loop. Work is split across threads by whole output rows, each computed by one thread in the same
 * order, so results are the same bits at any thread count. float64 keeps the loss's own double loops. The one
 * exception to the sequential order is the hidden layer's gradient in {@link #linearLogSoftmaxBackward}, a long
 * sum into a narrow result.
 */
public final class AdaptiveKernels {
  private AdaptiveKernels() {}

  /** Columns of the result per pass: a row's slice of C and B's rows of that slice stay in cache. */
  private static final int COLUMNS = 512;

  /** Rows of a product per task: {@link SimdAdaptive}'s register tile is four rows high. */
  private static final int TILE_ROWS = 4;

  private static int groups(int rows) {
    return (rows + TILE_ROWS - 1) / TILE_ROWS;
  }

  /** {@code a} (rows x cols, row-major) transposed: (cols x rows). */
  public static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int r0 = 0; r0 < rows; r0 += 32) {
      int r1 = Math.min(rows, r0 + 32);
      for (int c0 = 0; c0 < cols; c0 += 32) {
        int c1 = Math.min(cols, c0 + 32);
        for (int r = r0; r < r1; r++) {
          for (int c = c0; c < c1; c++) {
            t[c * rows + r] = a[r * cols + c];
          }
        }
      }
    }
    return t;
  }

  /**
   * {@code C = A B}, A (m x k), B (k x n), C (m x n) fresh: {@code C[i][j] = sum_p A[i][p] B[p][j]} in float,
   * p from 0 up, starting from +0.
   */
  public static float[] matmul(float[] a, float[] b, int m, int k, int n) {
    float[] c = new float[m * n];
    if (m < 16 && Vectorization.ENABLED) {
      // Few rows, often a long k-by-n B (a weight gradient over a cluster's classes): B is read row by row,
      // sequentially, and each row's slice of C stays in L1 across the sum.
      // Threads take whole slices of columns, each output summed by one thread in p order.
      int slices = (n + COLUMNS - 1) / COLUMNS;
      Parallel.sumRows(slices, m * k * COLUMNS, (from, to) -> {
        SimdAdaptive.fewRows(a, b, c, m, k, n, COLUMNS * from, Math.min(n, COLUMNS * to), COLUMNS);
        return 0;
      });
      return c;
    }
    if (Vectorization.ENABLED) {
      // Tasks of whole register tiles: split by single rows, a large product never used its four-row tile.
      Parallel.sumRows(groups(m), TILE_ROWS * k * n, (from, to) -> {
        SimdAdaptive.matmulRows(a, b, c, k, n, TILE_ROWS * from, Math.min(m, TILE_ROWS * to));
        return 0;
      });
      return c;
    }
    if (n < 16 && m >= 4) {
      // A narrow result: sums along A's rows and B's columns as dot products (B transposed), four rows by two
      // columns at a time so that eight independent sums overlap.
      matmulNarrow(a, transpose(b, k, n), c, m, k, n);
      return c;
    }
    Parallel.sumRows(m, k * n, (from, to) -> {
      productSlice(a, b, c, k, n, from, to, 0, n, 0, n);
      return 0;
    });
    return c;
  }

  private static void matmulNarrow(float[] a, float[] bt, float[] c, int m, int k, int n) {
    Parallel.sumRows(m, k * n, (from, to) -> {
      int i = from;
      for (; i + 4 <= to; i += 4) {
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int j = 0;
        for (; j + 2 <= n; j += 2) {
          int b0 = j * k;
          int b1 = b0 + k;
          float s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
          for (int p = 0; p < k; p++) {
            float x0 = bt[b0 + p];
            float x1 = bt[b1 + p];
            float v0 = a[a0 + p];
            float v1 = a[a1 + p];
            float v2 = a[a2 + p];
            float v3 = a[a3 + p];
            s00 = s00 + v0 * x0;
            s01 = s01 + v0 * x1;
            s10 = s10 + v1 * x0;
            s11 = s11 + v1 * x1;
            s20 = s20 + v2 * x0;
            s21 = s21 + v2 * x1;
            s30 = s30 + v3 * x0;
            s31 = s31 + v3 * x1;
          }
          c[i * n + j] = s00;
          c[i * n + j + 1] = s01;
          c[(i + 1) * n + j] = s10;
          c[(i + 1) * n + j + 1] = s11;
          c[(i + 2) * n + j] = s20;
          c[(i + 2) * n + j + 1] = s21;
          c[(i + 3) * n + j] = s30;
          c[(i + 3) * n + j + 1] = s31;
        }
        for (; j < n; j++) {
          for (int r = 0; r < 4; r++) {
            c[(i + r) * n + j] = dot(a, (i + r) * k, bt, j * k, k);
          }
        }
      }
      for (; i < to; i++) {
        for (int j = 0; j < n; j++) {
          c[i * n + j] = dot(a, i * k, bt, j * k, k);
        }
      }
      return 0;
    });
  }

  private static float dot(float[] a, int ao, float[] b, int bo, int k) {
    float s = 0;
    for (int p = 0; p < k; p++) {
      s = s + a[ao + p] * b[bo + p];
    }
    return s;
  }

  /**
   * {@code x W^T (+ b)} for x (rows x k) and W (out x k), as {@code F.linear} on the reference BLAS: each output
   * a float sum in index order, the bias added last.
   */
  public static float[] linear(float[] x, int rows, int k, float[] w, int out, float[] bias) {
    float[] y = matmul(x, transpose(w, out, k), rows, k, out);
    if (bias != null) {
      for (int r = 0; r < rows; r++) {
        for (int o = 0; o < out; o++) {
          y[r * out + o] = y[r * out + o] + bias[o];
        }
      }
    }
    return y;
  }

  /**
   * log_softmax of each row of z (rows x cols) in place, as ATen's vectorised float kernel: the max (NaN wins),
   * SLEEF's exp of {@code z - max} summed in eight lanes, SLEEF's log of the sum, then {@code (z - max) - log}.
   */
  public static void logSoftmaxRows(float[] z, int rows, int cols) {
    Parallel.sumRows(rows, cols, (from, to) -> {
      float[] e = scratch(cols);
      for (int r = from; r < to; r++) {
        logSoftmaxRow(z, r * cols, z, r * cols, cols, e);
      }
      return 0;
    });
  }

  /**
   * log_softmax of each row of {@code x W^T (+ bias)} (x rows x k, W out x k given transposed as {@code wt},
   * k x out, bias out or null): the same bits as {@link #linear} then {@link #logSoftmaxRows}, four rows at a
   * time, so that a group's logits are still in cache when its log_softmax reads them and the logits never go
   * to memory. With {@code keep}, returns the log-probabilities (rows x out). Without, returns null: the groups
   * live in a per-thread buffer, so a 40K-class cluster allocates no full-size array, and each row's max and
   * log of its sum of exponentials go to {@code rowMax} and {@code rowLogSum} when not null (what
   * {@link #linearLogSoftmaxBackward} rebuilds the row from). When {@code hot} is not null, {@code picked[r]}
   * gets row r's log-probability at {@code hot[r]}.
   */
  public static float[] linearLogSoftmax(float[] x, int rows, int k, float[] wt, int out, float[] bias, int[] hot,
      float[] picked, boolean keep, float[] rowMax, float[] rowLogSum) {
    float[] lp = keep ? new float[rows * out] : null;
    Parallel.sumRows(groups(rows), TILE_ROWS * (k + 3) * out, (from, to) -> {
      float[] e = scratch(out);
      float[] z = groupScratch(TILE_ROWS * out);
      float[] a = new float[TILE_ROWS * k];
      for (int gi = from; gi < to; gi++) {
        int r0 = gi * TILE_ROWS;
        int count = Math.min(rows, r0 + TILE_ROWS) - r0;
        System.arraycopy(x, r0 * k, a, 0, count * k);
        productSlice(a, wt, z, k, out, 0, count, 0, out, 0, out);
        for (int q = 0; q < count; q++) {
          int zo = q * out;
          if (bias != null) {
            for (int o = 0; o < out; o++) {
              z[zo + o] = z[zo + o] + bias[o];
            }
          }
          int r = r0 + q;
          if (keep) {
            logSoftmaxRow(z, zo, lp, r * out, out, e);
            if (hot != null) {
              picked[r] = lp[r * out + hot[r]];
            }
          } else {
            // The row's max and log-sum, then only the target's value.
            float mx = max(z, zo, out);
            float logSum = logSumExp(z, zo, out, mx, e);
            if (rowMax != null) {
              rowMax[r] = mx;
              rowLogSum[r] = logSum;
            }
            if (hot != null) {
              picked[r] = (z[zo + hot[r]] - mx) - logSum;
            }
          }
        }
      }
      return 0;
    });
    return lp;
  }

  /** Columns per slice of {@link #linearLogSoftmaxBackward}: W's and dW's slices and a group's rows stay in L1/L2. */
  private static final int SLICE = 512;

  /**
   * The backward of {@code lp = log_softmax(h W^T)} (h rows x k, W out x k given transposed as {@code wt},
   * k x out) for an output gradient that is one-hot per row ({@code g[r]} at column {@code hot[r]}), rebuilt
   * from each row's max and log-sum ({@link #linearLogSoftmax} without keep) instead of stored
   * log-probabilities: the logits are recomputed a slice of columns at a time (the same bits), so that no
   * rows x out array is ever allocated. Per element, as {@link #logSoftmaxBackwardOneHot}:
   * {@code d = fma(-exp(lp), g, [j == hot] g)}. Returns {dW transposed (k x out), null unless wantW; dh
   * (rows x k), null unless wantH}:
   * <ul>
   *   <li>{@code dW^T[p][j]} is the sum over rows in order of {@code h[r][p] * d[r][j]}, multiply and add each
   *       rounded ({@link #matmul}'s order);</li>
   *   <li>{@code dh[r][p]} is a long sum into a narrow result: per slice, the dot product of {@code d[r]} and
   *       {@code wt[p]} over the slice's columns (SIMD: {@link SimdAdaptive#dot}; otherwise in column order),
   *       then the slices' values added in slice order.</li>
   * </ul>
   * Threads take whole slices; the same bits at any thread count.
   */
  public static float[][] linearLogSoftmaxBackward(float[] h, int rows, int k, float[] wt, int out, float[] rowMax,
      float[] rowLogSum, int[] hot, float[] g, boolean wantW, boolean wantH) {
    int slices = (out + SLICE - 1) / SLICE;
    float[] dwt = wantW ? new float[k * out] : null;
    float[] parts = wantH ? new float[slices * rows * k] : null;
    Parallel.sumRows(slices, rows * (3 * k + 4) * SLICE, (from, to) -> {
      float[] z = new float[TILE_ROWS * SLICE];
      float[] d = new float[TILE_ROWS * SLICE];
      float[] t = Vectorization.ENABLED ? new float[SimdAdaptive.lanes()] : null;
      float[] x = new float[TILE_ROWS];
      for (int s = from; s < to; s++) {
        int j0 = s * SLICE;
        int w = Math.min(out, j0 + SLICE) - j0;
        for (int r0 = 0; r0 < rows; r0 += TILE_ROWS) {
          int count = Math.min(rows, r0 + TILE_ROWS) - r0;
          productSlice(h, wt, z, k, out, r0, r0 + count, j0, j0 + w, -r0 * w - j0, w);
          for (int q = 0; q < count; q++) {
            int r = r0 + q;
            int zo = q * w;
            float mx = rowMax[r];
            float logSum = rowLogSum[r];
            for (int j = 0; j < w; j++) {
              z[zo + j] = (z[zo + j] - mx) - logSum;
            }
            SleefFloat.expShifted(z, zo, w, 0f, d, zo);
            float gr = g[r];
            for (int j = 0; j < w; j++) {
              d[zo + j] = Math.fma(-d[zo + j], gr, 0f);
            }
            int hj = hot[r] - j0;
            if (hj >= 0 && hj < w) {
              d[zo + hj] = Math.fma(-SleefFloat.expf(z[zo + hj]), gr, gr);
            }
            if (wantH) {
              int po = (s * rows + r) * k;
              int p = 0;
              if (t != null) {
                for (; p + 4 <= k; p += 4) {
                  SimdAdaptive.dot4(d, zo, wt, p * out + j0, out, w, parts, po + p, t);
                }
              }
              for (; p < k; p++) {
                parts[po + p] = t != null ? SimdAdaptive.dot(d, zo, wt, p * out + j0, w, t)
                    : dot(d, zo, wt, p * out + j0, w);
              }
            }
          }
          if (wantW) {
            for (int p = 0; p < k; p++) {
              for (int q = 0; q < count; q++) {
                x[q] = h[(r0 + q) * k + p];
              }
              int o = p * out + j0;
              if (t != null) {
                SimdAdaptive.addRows(dwt, o, d, w, x, count, w);
              } else {
                for (int q = 0; q < count; q++) {
                  for (int j = 0; j < w; j++) {
                    dwt[o + j] = dwt[o + j] + x[q] * d[q * w + j];
                  }
                }
              }
            }
          }
        }
      }
      return 0;
    });
    float[] dh = null;
    if (wantH) {
      dh = java.util.Arrays.copyOf(parts, rows * k);
      for (int s = 1; s < slices; s++) {
        int po = s * rows * k;
        for (int i = 0; i < rows * k; i++) {
          dh[i] = dh[i] + parts[po + i];
        }
      }
    }
    return new float[][] {dwt, dh};
  }

  /**
   * Columns {@code [j0, j1)} of rows {@code [from, to)} of {@code C = A B} (A m x k, B k x n), C's (i, j) stored
   * at {@code c[cBase + i * cn + j]} (overwritten), each a float sum in p order of separately rounded products:
   * {@link SimdAdaptive#matmulSlice}, or its plain twin in slices of {@link #COLUMNS} columns.
   */
  private static void productSlice(float[] a, float[] b, float[] c, int k, int n, int from, int to, int j0, int j1,
      int cBase, int cn) {
    if (Vectorization.ENABLED) {
      SimdAdaptive.matmulSlice(a, b, c, k, n, from, to, j0, j1, cBase, cn);
      return;
    }
    for (int i = from; i < to; i++) {
      java.util.Arrays.fill(c, cBase + i * cn + j0, cBase + i * cn + j1, 0f);
    }
    for (int s0 = j0; s0 < j1; s0 += COLUMNS) {
      int s1 = Math.min(j1, s0 + COLUMNS);
      for (int i = from; i < to; i++) {
        int ci = cBase + i * cn;
        for (int p = 0; p < k; p++) {
          float aip = a[i * k + p];
          int bp = p * n;
          for (int j = s0; j < s1; j++) {
            c[ci + j] = c[ci + j] + aip * b[bp + j];
          }
        }
      }
    }
  }

  /** The log of the sum of SLEEF's exps of {@code z[zo, zo + cols) - mx}, added in ATen's eight lanes. */
  private static float logSumExp(float[] z, int zo, int cols, float mx, float[] e) {
    SleefFloat.expShifted(z, zo, cols, mx, e);
    return SleefFloat.logf(laneSum(e, cols));
  }

  /** One row of {@link #logSoftmaxRows} from {@code z[zo, zo + cols)} into {@code dst[d, d + cols)}. */
  private static void logSoftmaxRow(float[] z, int zo, float[] dst, int d, int cols, float[] e) {
    float mx = max(z, zo, cols);
    float logSum = logSumExp(z, zo, cols, mx, e);
    for (int i = 0; i < cols; i++) {
      dst[d + i] = (z[zo + i] - mx) - logSum;
    }
  }

  /** Per-thread buffers: a group of rows' logits, and a row's exponentials. */
  private static final ThreadLocal<float[]> GROUP = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private static float[] groupScratch(int n) {
    return threadBuffer(GROUP, n);
  }

  /**
   * A row's exponentials: a block is often one row of a cluster's 40K classes, and a fresh array for each would
   * be most of what the softmax allocates.
   */
  private static float[] scratch(int n) {
    return threadBuffer(SCRATCH, n);
  }

  /** The calling thread's buffer in {@code holder}, grown to at least {@code n} floats. */
  private static float[] threadBuffer(ThreadLocal<float[]> holder, int n) {
    float[] b = holder.get();
    if (b.length < n) {
      b = new float[n];
      holder.set(b);
    }
    return b;
  }

  /**
   * log_softmax's backward for rows whose output gradient is one-hot (the gathered target log-probability):
   * {@code d[r][i] = fma(-exp(lp[r][i]), g[r], [i == hot[r]] g[r])}, as ATen's float kernel (the row's gradient
   * sum is the one value). Rows (rows x cols) of lp; returns d.
   */
  public static float[] logSoftmaxBackwardOneHot(float[] lp, int rows, int cols, int[] hot, float[] g) {
    float[] d = new float[rows * cols];
    Parallel.sumRows(rows, cols, (from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * cols;
        SleefFloat.expShifted(lp, o, cols, 0f, d, o);
        float s = g[r];
        for (int i = 0; i < cols; i++) {
          d[o + i] = Math.fma(-d[o + i], s, 0f);
        }
        d[o + hot[r]] = Math.fma(-SleefFloat.expf(lp[o + hot[r]]), s, g[r]);
      }
      return 0;
    });
    return d;
  }

  /**
   * The column sums of g (rows x cols), each in float in row order: a bias's gradient as the reference BLAS
   * path accumulates it.
   */
  public static float[] columnSums(float[] g, int rows, int cols) {
    float[] s = new float[cols];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < cols; i++) {
        s[i] = s[i] + g[r * cols + i];
      }
    }
    return s;
  }

  /**
   * The largest of {@code z[o, o + n)}, NaN when any is NaN. On lanes, each lane keeps its own maximum by the
   * same rule and the lanes are folded in order: the same value, though when the maximum is a zero its sign
   * may be the other one's (which no later step can tell apart).
   */
  static float max(float[] z, int o, int n) {
    float mx = Float.NEGATIVE_INFINITY;
    int i = 0;
    if (Vectorization.ENABLED) {
      i = n - n % SimdAdaptive.lanes();
      mx = SimdAdaptive.max(z, o, i);
    }
    for (; i < n; i++) {
      float v = z[o + i];
      mx = v > mx || Float.isNaN(v) ? v : mx;
    }
    return mx;
  }

  /**
   * ATen's {@code vec::reduce_all} sum of {@code v[0, n)} on AVX2: fewer than eight values add in order;
   * otherwise eight lane accumulators (the tail added to the first lanes), folded as a shuffle tree.
   */
  public static float laneSum(float[] v, int n) {
    if (n < 8) {
      float r = n == 0 ? 0 : v[0];
      for (int i = 1; i < n; i++) {
        r = r + v[i];
      }
      return r;
    }
    int d = n - (n % 8);
    float[] acc;
    if (Vectorization.ENABLED) {
      acc = SimdAdaptive.laneAccumulators(v, n);
    } else {
      acc = java.util.Arrays.copyOf(v, 8);
      for (int k = 8; k < d; k += 8) {
        for (int l = 0; l < 8; l++) {
          acc[l] = acc[l] + v[k + l];
        }
      }
    }
    for (int l = 0; l < n - d; l++) {
      acc[l] = acc[l] + v[d + l];
    }
    return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
  }

  /**
   * ATen's CPU sum over a contiguous innermost dimension ({@code sum(dim=-1)}) of {@code v[off, off + n)}, on
   * AVX2 vectors of {@code L} = 8 floats ({@code f32}) or 4 doubles, every add rounded to the dtype: below L
   * values four interleaved partial sums folded in order; from L, vectors of L in four interleaved vector sums
   * (leftover vectors into the first), the scalar tail summed, then the lanes added to it one by one.
   */
  public static double innerSum(double[] v, int off, int n, boolean f32) {
    int lanes = f32 ? 8 : 4;
    if (n < lanes) {
      double[] p = new double[4];
      int k = n / 4;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < 4; j++) {
          p[j] = add(p[j], v[off + i * 4 + j], f32);
        }
      }
      for (int i = k * 4; i < n; i++) {
        p[0] = add(p[0], v[off + i], f32);
      }
      return add(add(add(p[0], p[1], f32), p[2], f32), p[3], f32);
    }
    int vecs = n / lanes;
    double[][] p = new double[4][lanes];
    int k4 = vecs / 4;
    for (int i = 0; i < k4; i++) {
      for (int j = 0; j < 4; j++) {
        for (int l = 0; l < lanes; l++) {
          p[j][l] = add(p[j][l], v[off + (i * 4 + j) * lanes + l], f32);
        }
      }
    }
    for (int i = k4 * 4; i < vecs; i++) {
      for (int l = 0; l < lanes; l++) {
        p[0][l] = add(p[0][l], v[off + i * lanes + l], f32);
      }
    }
    for (int j = 1; j < 4; j++) {
      for (int l = 0; l < lanes; l++) {
        p[0][l] = add(p[0][l], p[j][l], f32);
      }
    }
    double fin = 0;
    for (int i = vecs * lanes; i < n; i++) {
      fin = add(fin, v[off + i], f32);
    }
    for (int l = 0; l < lanes; l++) {
      fin = add(fin, p[0][l], f32);
    }
    return fin;
  }

  private static double add(double a, double b, boolean f32) {
    return f32 ? (float) ((float) a + (float) b) : a + b;
  }
}
