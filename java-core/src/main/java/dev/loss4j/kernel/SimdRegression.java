package dev.loss4j.kernel;

import static dev.loss4j.kernel.SimdSpecies.D;
import static dev.loss4j.kernel.SimdSpecies.load;
import static dev.loss4j.kernel.SimdSpecies.store;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of {@link RegressionKernels}, one block at a time, same contract. Each element is
 * computed with the scalar loop's arithmetic (double, or float for float32 SmoothL1 and Huber), so outputs
 * and gradients are the same bits; only the
 * block's sum is added in another order (lane by lane, then the lanes in a fixed order). The tail that does not fill a
 * vector goes through the scalar loop.
 */
final class SimdRegression {
  private SimdRegression() {}

  /** Full-width float lanes (twice D's lane count) for the loops that work in float. */
  private static final VectorSpecies<Float> FW = FloatVector.SPECIES_PREFERRED;
  private static final DoubleVector ZERO = DoubleVector.zero(D);
  private static final DoubleVector ONE = DoubleVector.broadcast(D, 1.0);
  private static final DoubleVector MINUS_ONE = DoubleVector.broadcast(D, -1.0);

  /** sign(d) as ATen computes it: 1, -1, or 0 at a tie and for NaN. */
  private static DoubleVector sign(DoubleVector d) {
    return ZERO.blend(ONE, d.compare(VectorOperators.GT, 0.0)).blend(MINUS_ONE, d.compare(VectorOperators.LT, 0.0));
  }

  // ---- L1 -------------------------------------------------------------------------------------------------

  static double l1Block(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale, int from, int to) {
    DoubleVector acc = DoubleVector.zero(D);
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = load(x, i).sub(load(y, i));
      DoubleVector l = d.abs();
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null || gy != null) {
        DoubleVector g = sign(d);
        if (gx != null) {
          store(g.mul(scale), gx, i);
        }
        if (gy != null) {
          store(g.neg().mul(scale), gy, i);
        }
      }
    }
    return SimdSpecies.sumLanes(acc) + RegressionKernels.l1Block(x, y, each, gx, gy, scale, i, to);
  }

  static double l1Block(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale, int from,
      int to) {
    DoubleVector acc = DoubleVector.zero(D);
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = DoubleVector.fromArray(D, x, i).sub(DoubleVector.fromArray(D, y, i));
      DoubleVector l = d.abs();
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null || gy != null) {
        DoubleVector g = sign(d);
        if (gx != null) {
          g.mul(scale).intoArray(gx, i);
        }
        if (gy != null) {
          g.neg().mul(scale).intoArray(gy, i);
        }
      }
    }
    return SimdSpecies.sumLanes(acc) + RegressionKernels.l1Block(x, y, each, gx, gy, scale, i, to);
  }

  // ---- MSE ------------------------------------------------------------------------------------------------

  static double mseBlock(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale, int from,
      int to) {
    DoubleVector acc = DoubleVector.zero(D);
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = load(x, i).sub(load(y, i));
      DoubleVector l = d.mul(d);
      if (each != null) {
        store(l, each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        store(d.mul(2.0).mul(scale), gx, i);
      }
      if (gy != null) {
        store(d.mul(2.0).neg().mul(scale), gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + RegressionKernels.mseBlock(x, y, each, gx, gy, scale, i, to);
  }

  static double mseBlock(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale, int from,
      int to) {
    DoubleVector acc = DoubleVector.zero(D);
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = DoubleVector.fromArray(D, x, i).sub(DoubleVector.fromArray(D, y, i));
      DoubleVector l = d.mul(d);
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        d.mul(2.0).mul(scale).intoArray(gx, i);
      }
      if (gy != null) {
        d.mul(2.0).neg().mul(scale).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc) + RegressionKernels.mseBlock(x, y, each, gx, gy, scale, i, to);
  }

  // ---- SmoothL1 (finite beta > 0; beta = 0 and inf stay scalar) ---------------------------------------------------------

  private static DoubleVector smoothL1Value(DoubleVector z, double beta, double invBeta) {
    DoubleVector quadratic = z.mul(0.5).mul(z).mul(invBeta);
    DoubleVector linear = z.sub(0.5 * beta);
    return linear.blend(quadratic, z.compare(VectorOperators.LT, beta));
  }

  /** float32 in full-width float lanes, the scalar float loop's element for element. */
  static double smoothL1Block(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale,
      double beta, int from, int to) {
    if (beta == 0 || beta == Double.POSITIVE_INFINITY) {
      return RegressionKernels.smoothL1Block(x, y, each, gx, gy, scale, beta, from, to);
    }
    float b = (float) beta;
    float halfBeta = (float) (0.5 * beta);
    float invBeta = (float) (1.0 / beta);
    float sc = (float) scale;
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    int i = from;
    for (int end = to - FW.length(); i <= end; i += FW.length()) {
      FloatVector d = FloatVector.fromArray(FW, x, i).sub(FloatVector.fromArray(FW, y, i));
      FloatVector z = d.abs();
      FloatVector l = z.sub(halfBeta).blend(z.mul(0.5f).mul(z).mul(invBeta), z.compare(VectorOperators.LT, b));
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc0 = acc0.add(l.convertShape(VectorOperators.F2D, D, 0));
        acc1 = acc1.add(l.convertShape(VectorOperators.F2D, D, 1));
      }
      if (gx != null) {
        d.mul(invBeta).max(-1f).min(1f).mul(sc).intoArray(gx, i);
      }
      if (gy != null) {
        d.neg().mul(invBeta).max(-1f).min(1f).mul(sc).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1)
        + RegressionKernels.smoothL1Block(x, y, each, gx, gy, scale, beta, i, to);
  }

  static double smoothL1Block(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      double beta, int from, int to) {
    if (beta == 0 || beta == Double.POSITIVE_INFINITY) {
      return RegressionKernels.smoothL1Block(x, y, each, gx, gy, scale, beta, from, to);
    }
    double invBeta = 1.0 / beta;
    DoubleVector acc = DoubleVector.zero(D);
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = DoubleVector.fromArray(D, x, i).sub(DoubleVector.fromArray(D, y, i));
      DoubleVector l = smoothL1Value(d.abs(), beta, invBeta);
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      if (gx != null) {
        d.mul(invBeta).min(1.0).max(-1.0).mul(scale).intoArray(gx, i);
      }
      if (gy != null) {
        d.neg().mul(invBeta).min(1.0).max(-1.0).mul(scale).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + RegressionKernels.smoothL1Block(x, y, each, gx, gy, scale, beta, i, to);
  }

  // ---- Huber ----------------------------------------------------------------------------------------------

  /** float32 in full-width float lanes, the scalar float loop's element for element. */
  static double huberBlock(float[] x, float[] y, float[] each, float[] gx, float[] gy, double scale, double delta,
      int from, int to) {
    float dl = (float) delta;
    float sc = (float) scale;
    DoubleVector acc0 = DoubleVector.zero(D);
    DoubleVector acc1 = DoubleVector.zero(D);
    int i = from;
    for (int end = to - FW.length(); i <= end; i += FW.length()) {
      FloatVector d = FloatVector.fromArray(FW, x, i).sub(FloatVector.fromArray(FW, y, i));
      FloatVector z = d.abs();
      FloatVector m = z.min(dl);
      FloatVector l = m.mul(z.sub(m.mul(0.5f)));
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc0 = acc0.add(l.convertShape(VectorOperators.F2D, D, 0));
        acc1 = acc1.add(l.convertShape(VectorOperators.F2D, D, 1));
      }
      FloatVector g = d.max(-dl).min(dl);
      if (gx != null) {
        g.mul(sc).intoArray(gx, i);
      }
      if (gy != null) {
        g.neg().mul(sc).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc0) + SimdSpecies.sumLanes(acc1)
        + RegressionKernels.huberBlock(x, y, each, gx, gy, scale, delta, i, to);
  }

  static double huberBlock(double[] x, double[] y, double[] each, double[] gx, double[] gy, double scale,
      double delta, int from, int to) {
    DoubleVector acc = DoubleVector.zero(D);
    int i = from;
    for (int end = to - D.length(); i <= end; i += D.length()) {
      DoubleVector d = DoubleVector.fromArray(D, x, i).sub(DoubleVector.fromArray(D, y, i));
      DoubleVector z = d.abs();
      DoubleVector m = z.min(delta);
      DoubleVector l = m.mul(z.sub(m.mul(0.5)));
      if (each != null) {
        l.intoArray(each, i);
      } else {
        acc = acc.add(l);
      }
      DoubleVector g = d.min(delta).max(-delta);
      if (gx != null) {
        g.mul(scale).intoArray(gx, i);
      }
      if (gy != null) {
        g.neg().mul(scale).intoArray(gy, i);
      }
    }
    return SimdSpecies.sumLanes(acc)
        + RegressionKernels.huberBlock(x, y, each, gx, gy, scale, delta, i, to);
  }
}
