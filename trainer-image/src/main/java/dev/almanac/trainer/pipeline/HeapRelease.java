package dev.almanac.trainer.pipeline;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Gives the training heap's garbage back to the OS before ONNX Runtime takes its native memory for
 * the parity check, so that the two do not add up in the run's peak RSS: full collections with the
 * heap allowed to shrink to its live data ({@code MaxHeapFreeRatio} is a manageable flag), then the
 * JVM's own ratios again. With the covid example and the Job's Serial GC, the live data is ~35 MB
 * of a 151 MB heap, and each collection takes 10-30 ms. Training itself runs with the JVM's
 * defaults, so it is not slowed.
 */
final class HeapRelease {
  private static final String MIN = "MinHeapFreeRatio";
  private static final String MAX = "MaxHeapFreeRatio";
  private static final int SHRINKING_COLLECTIONS = 4;

  private HeapRelease() {}

  /** Only under the Serial GC, which the trainer Job's JVM runs (a G1 heap is sized otherwise). */
  static void now() {
    boolean serial =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .anyMatch(gc -> gc.getName().equals("MarkSweepCompact"));
    if (!serial) {
      return;
    }
    HotSpotDiagnosticMXBean vm;
    String min;
    String max;
    try {
      vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      min = vm.getVMOption(MIN).getValue();
      max = vm.getVMOption(MAX).getValue();
      vm.setVMOption(MIN, "0");
      vm.setVMOption(MAX, "10");
    } catch (RuntimeException e) {
      return; // another JVM, or the flags not writable: only the peak is higher
    }
    try {
      // Serial GC shrinks the old generation by a growing share of the excess on consecutive
      // collections (0 %, 10 %, 40 %, then all of it)
      for (int i = 0; i < SHRINKING_COLLECTIONS; i++) {
        System.gc();
      }
    } finally {
      vm.setVMOption(MAX, max);
      vm.setVMOption(MIN, min);
    }
  }
}
