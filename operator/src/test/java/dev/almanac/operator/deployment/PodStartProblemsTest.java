package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStartProblemsTest {
  static Pod waiting(String name, String image, String reason, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("server")
        .withImage(image)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void namesTheImageAndTheKubeletsReason() {
    var pods =
        List.of(
            waiting("covid-1", "almanac/model-server:1", "ContainerCreating", null),
            waiting(
                "covid-2",
                "localhost/almanac-model-server:nope",
                "ErrImageNeverPull",
                "Container image \"localhost/almanac-model-server:nope\" is not present"));
    assertThat(PodStartProblems.imageProblem(pods))
        .isEqualTo(
            "image localhost/almanac-model-server:nope of pod covid-2 cannot be used (ErrImageNeverPull:"
                + " Container image \"localhost/almanac-model-server:nope\" is not present)");
  }

  @Test
  void startingOrRunningPodsAreNoProblem() {
    assertThat(
            PodStartProblems.imageProblem(
                List.of(
                    waiting("a", "img:1", "ContainerCreating", null),
                    new PodBuilder().withNewMetadata().withName("b").endMetadata().build())))
        .isNull();
    assertThat(PodStartProblems.imageProblem(List.of())).isNull();
  }
}
