package dev.almanac.operator.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans a completed promotion out to the subscribed {@link PromotionListener}s; one failing listener
 * never stops the others.
 */
public final class PromotionNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionNotifier.class);
  private final List<PromotionListener> listeners = new CopyOnWriteArrayList<>();

  public void subscribe(PromotionListener listener) {
    listeners.add(listener);
  }

  public void publish(PromotionListener.PromotionEvent event) {
    for (var listener : listeners) {
      try {
        listener.promoted(event);
      } catch (RuntimeException e) {
        LOG.warn("promotion listener {} failed for {}: {}", listener, event, e.toString());
      }
    }
  }
}
