package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.almanac.api.v1alpha1.pipeline.ModelType;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifiersTest {

  static int argmax(double[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  @ParameterizedTest
  @ValueSource(strings = {"RandomForest", "XGBoost", "LogisticRegression"})
  void separableClassesAreLearnedWithProperProbabilities(ModelType type) {
    SyntheticData.Classification d = SyntheticData.blobs(600, 5, 4, 17);
    double[][] train = SyntheticData.head(d.x(), 400);
    int[] yTrain = Arrays.copyOf(d.y(), 400);
    double[][] test = SyntheticData.tail(d.x(), 400);
    int[] yTest = Arrays.copyOfRange(d.y(), 400, 600);
    TrainedClassifier m =
        ModelCatalog.classifier(type, Map.of())
            .fit(train, yTrain, 4, new FitOptions(42, 1, Map.of()));
    double[][] proba = m.predictProba(test);
    int correct = 0;
    for (int i = 0; i < test.length; i++) {
      assertThat(Arrays.stream(proba[i]).sum()).isCloseTo(1.0, offset(1e-6));
      assertThat(Arrays.stream(proba[i]).allMatch(p -> p >= 0 && p <= 1)).isTrue();
      if (argmax(proba[i]) == yTest[i]) {
        correct++;
      }
    }
    double accuracy = correct / (double) test.length;
    System.out.printf("%s blob accuracy %.3f%n", type, accuracy);
    assertThat(accuracy).isGreaterThan(0.97);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RandomForest", "XGBoost", "LogisticRegression"})
  void sameSeedGivesTheSameClassifier(ModelType type) {
    SyntheticData.Classification d = SyntheticData.blobs(200, 4, 3, 5);
    double[][] a =
        ModelCatalog.classifier(type, Map.of())
            .fit(d.x(), d.y(), 3, new FitOptions(3, 1, Map.of()))
            .predictProba(d.x());
    double[][] b =
        ModelCatalog.classifier(type, Map.of())
            .fit(d.x(), d.y(), 3, new FitOptions(3, 2, Map.of()))
            .predictProba(d.x());
    assertThat(b).isDeepEqualTo(a);
  }
}
