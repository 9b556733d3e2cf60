package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The heap handed back before the parity check, in a JVM with the trainer Job's Serial GC. */
class HeapReleaseTest {
  /** Grows the heap with garbage, releases, prints "committed-before committed-after min max". */
  public static void main(String[] args) {
    var keep = new ArrayList<byte[]>();
    for (int i = 0; i < 200; i++) {
      keep.add(new byte[1 << 20]);
    }
    keep.clear();
    System.gc(); // old generation grown, now mostly free
    long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    HeapRelease.now();
    long after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    System.out.println(
        before
            + " "
            + after
            + " "
            + vm.getVMOption("MinHeapFreeRatio").getValue()
            + " "
            + vm.getVMOption("MaxHeapFreeRatio").getValue());
  }

  @Test
  void theSerialHeapShrinksToItsLiveDataAndTheRatiosAreRestored() throws Exception {
    var command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // the trainer Job's JVM: 2 GiB seen, 75 % of it heap, so an initial heap of 32 MB (the
            // heap never shrinks below its initial size)
            "-XX:+UseSerialGC",
            "-XX:MaxRAM=2g",
            "-XX:MaxRAMPercentage=75",
            "-cp",
            System.getProperty("java.class.path"),
            HeapReleaseTest.class.getName());
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    String[] f = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
    long before = Long.parseLong(f[0]);
    long after = Long.parseLong(f[1]);
    assertThat(before).as(out).isGreaterThan(150L << 20);
    assertThat(after).as("committed heap after the release (%s)", out).isLessThan(before / 3);
    assertThat(f[2]).isEqualTo("40");
    assertThat(f[3]).isEqualTo("70");
  }
}
