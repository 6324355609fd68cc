/**
 * The kernel layer: the hot loops of every loss and of the ops around losses, on primitive arrays
 * ({@code float[]} for float32, {@code double[]} for float64), one class per loss family
 * ({@code RegressionKernels}, {@code EmbeddingKernels}, {@code SequenceKernels}, ...), below both
 * {@code dev.loss4j.ops} and {@code dev.loss4j.loss}; {@code GlibcFloat} holds glibc's float32 exp and log,
 * which float32 kernels call where PyTorch's CPU code calls {@code std::exp}/{@code std::log}.
 *
 * <p>Rules every kernel here follows:
 * <ul>
 *   <li>No virtual call, dtype switch, boxing or broadcast index arithmetic per element: a kernel takes
 *       same-length contiguous arrays; losses keep broadcasting on their own (slower) path.
 *   <li>Each loss owns its loops, so the JIT's profile of one loss never slows another.
 *   <li>Value and derivative in one pass (the derivative already scaled by the reduction).
 *   <li>Large inputs are split into fixed blocks of {@link Parallel#BLOCK} elements, run on
 *       {@link Parallel#threads()} threads, and their partial sums are added in block order: a result does
 *       not depend on the thread count.
 * </ul>
 * Nothing here imports {@code dev.loss4j.loss}, {@code dev.loss4j.ops} or {@code dev.loss4j.autograd}.
 */
package dev.loss4j.kernel;
