package dev.loss4j.parity;

import dev.loss4j.autograd.Variable;
import dev.loss4j.loss.Functional;
import dev.loss4j.loss.Sequence;
import java.util.List;
import java.util.Map;

/**
 * fixtures/sequence.jsonl through dev.loss4j.loss.Sequence. Lengths come either as tensor arguments 2 and 3
 * or, for the list form, as the keyword arguments input_lengths / target_lengths holding plain JSON lists.
 */
final class SequenceReplay implements Replay {
  @Override
  public Functional.Outcome call(String op, Variable[] a, Map<String, Object> kw) {
    if (!op.equals("ctc_loss")) {
      throw new IllegalArgumentException("sequence has no op " + op);
    }
    long blank = (long) Replay.number(kw, "blank", 0);
    String reduction = Replay.string(kw, "reduction", "mean");
    boolean zeroInfinity = Boolean.TRUE.equals(kw.get("zero_infinity"));
    if (a.length >= 4) {
      return Sequence.ctcLoss(a[0], a[1], a[2], a[3], blank, reduction, zeroInfinity);
    }
    return Sequence.ctcLoss(a[0], a[1], longs(kw.get("input_lengths")), longs(kw.get("target_lengths")), blank,
        reduction, zeroInfinity);
  }

  private static long[] longs(Object list) {
    return ((List<?>) list).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
  }
}
