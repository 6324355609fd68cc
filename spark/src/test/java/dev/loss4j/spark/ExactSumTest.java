package dev.loss4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The accumulator is exact: any order and any split into partial sums give the same bits. */
class ExactSumTest {
  @Test
  void equalsBigDecimalSumInAnyOrderAndSplit() {
    Random r = new Random(7);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double x = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      xs.add(x);
      xs.add(-x * (1 + 1e-12)); // heavy cancellation: a plain double sum loses most digits
    }
    xs.add(Double.MIN_VALUE);
    xs.add(Double.MAX_VALUE / 4);
    xs.add(-Double.MAX_VALUE / 4);
    BigDecimal exact = BigDecimal.ZERO;
    for (double x : xs) {
      exact = exact.add(new BigDecimal(x));
    }
    Double first = null;
    for (int trial = 0; trial < 5; trial++) {
      Collections.shuffle(xs, r);
      int parts = 1 + r.nextInt(16);
      ExactSum total = new ExactSum();
      for (int p = 0; p < parts; p++) {
        ExactSum part = new ExactSum();
        for (int i = p; i < xs.size(); i += parts) {
          part.add(xs.get(i));
        }
        total.add(part);
      }
      assertEquals(0, exact.compareTo(total.exact()), "trial " + trial);
      double v = total.doubleValue();
      assertEquals(exact.doubleValue(), v);
      if (first != null) {
        assertEquals(first, v);
      }
      first = v;
    }
  }

  @Test
  void meansRoundOnceAndSpecialValuesCombineAsIeee() {
    ExactSum num = new ExactSum();
    ExactSum den = new ExactSum();
    num.add(0.1f);
    num.add(0.2f);
    den.add(3);
    assertEquals((float) ((0.1f + (double) 0.2f) / 3), (float) ExactSum.divide(num, den, true));
    assertTrue(Double.isNaN(ExactSum.divide(new ExactSum(), new ExactSum(), false)), "0/0 is NaN");
    ExactSum inf = new ExactSum();
    inf.add(Double.POSITIVE_INFINITY);
    inf.add(1);
    assertEquals(Double.POSITIVE_INFINITY, inf.doubleValue());
    inf.add(Double.NEGATIVE_INFINITY);
    assertTrue(Double.isNaN(inf.doubleValue()));
  }
}
