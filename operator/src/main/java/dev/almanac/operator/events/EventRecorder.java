package dev.almanac.operator.events;

import dev.almanac.api.v1alpha1.common.Reason;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events with reasons from {@link Reason}. The same reason + message on the same
 * object bumps {@code count} instead of creating a new Event (name = object name + hash), so a
 * crash-looping reconcile does not flood etcd. A failure to write an Event is logged, never fatal.
 */
public final class EventRecorder {
  public static final String COMPONENT = "almanac-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  public enum Type {
    Normal,
    Warning
  }

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata target, Reason reason, String message) {
    record(target, Type.Normal, reason, message);
  }

  public void warning(HasMetadata target, Reason reason, String message) {
    record(target, Type.Warning, reason, message);
  }

  public void record(HasMetadata target, Type type, Reason reason, String message) {
    var meta = target.getMetadata();
    var text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    var name = meta.getName() + "." + hash(meta.getUid() + "|" + type + "|" + reason + "|" + text);
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var events = client.v1().events().inNamespace(meta.getNamespace());
    try {
      var existing = events.withName(name).get();
      if (existing != null) {
        existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
        existing.setLastTimestamp(now);
        events.resource(existing).update();
        return;
      }
      events
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(meta.getNamespace())
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(target.getApiVersion())
                          .withKind(target.getKind())
                          .withName(meta.getName())
                          .withNamespace(meta.getNamespace())
                          .withUid(meta.getUid())
                          .withResourceVersion(meta.getResourceVersion())
                          .build())
                  .withType(type.name())
                  .withReason(reason.name())
                  .withMessage(text)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record {} event {} on {}/{}: {}",
          type,
          reason,
          meta.getNamespace(),
          meta.getName(),
          e.getMessage());
    }
  }

  private static String hash(String s) {
    return DigestUtils.sha256Hex(s).substring(0, 16);
  }
}
