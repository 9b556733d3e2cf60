import dev.almanac.ml.clean.*;
import dev.almanac.ml.data.*;
import dev.almanac.ml.features.*;
import dev.almanac.ml.forecast.ProphetModel;
import dev.almanac.trainer.models.*;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.*;

/**
 * Run: java -cp trainer-image/target/almanac-trainer.jar benchmarks/trainer/MemberTiming.java <owid-covid-slim.csv.gz> <rounds>
 * Thread-CPU time of the member fits of one example run: Prophet per series, LSTM global, at the three cuts (inner, outer, refit). */
public class MemberTiming {
  public static void main(String[] a) {
    var bean = ManagementFactory.getThreadMXBean();
    List<String> ids = List.of("USA","GBR","DEU","FRA","ITA","IND","BRA","ZAF","JPN","CAN");
    LongTable t = new LongTableLoader("date", "iso_code", "new_cases", "continent").load(Path.of(a[0]), ids);
    List<RegularSeries> bases = new ArrayList<>();
    for (String id : ids) bases.add(SeriesCleaner.regularize(t.series().get(id)));
    FeaturePipeline fp0 = new FeaturePipeline(FeatureSpec.defaults());
    List<String> extraNames = new ArrayList<>();
    for (String id : ids) extraNames.add("series_" + id);
    FeaturePipeline fp = new FeaturePipeline(FeatureSpec.defaults(), extraNames);
    for (int round = 0; round < Integer.parseInt(a[1]); round++) {
      long prophetNs = 0, lstmNs = 0; int rows = 0;
      for (int back : new int[] {120, 60, 0}) {
        List<double[]> x = new ArrayList<>(); List<Double> y = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
          RegularSeries b = bases.get(i);
          double[] seg = HampelWinsorizer.winsorizeUpper(Arrays.copyOf(b.values(), b.size() - back)).values();
          long t0 = bean.getCurrentThreadCpuTime();
          ProphetModel.fit(seg, b.start());
          prophetNs += bean.getCurrentThreadCpuTime() - t0;
          SeriesScaler sc = SeriesScaler.fit(seg);
          double[] extra = new double[ids.size()]; extra[i] = 1;
          FeatureMatrix m = fp.matrix(sc.forward(seg), b.start(), extra);
          x.addAll(Arrays.asList(m.x())); for (double v : m.y()) y.add(v);
        }
        rows += x.size();
        long t0 = bean.getCurrentThreadCpuTime();
        ModelCatalog.regressor("LSTM", Map.of()).fit(x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray(),
            new FitOptions(42, 1, ModelCatalog.layoutParams("LSTM", fp.names())));
        lstmNs += bean.getCurrentThreadCpuTime() - t0;
      }
      System.out.printf("round %d: Prophet 30 fits %.3f s CPU; LSTM 3 global fits (%d rows) %.3f s CPU; load %s%n", round,
          prophetNs / 1e9, rows, lstmNs / 1e9, new String(readLoad()));
    }
  }
  static byte[] readLoad() { try { return java.nio.file.Files.readAllBytes(Path.of("/proc/loadavg")); } catch (Exception e) { return new byte[0]; } }
}
