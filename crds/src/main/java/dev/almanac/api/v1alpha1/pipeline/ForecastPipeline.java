package dev.almanac.api.v1alpha1.pipeline;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A scheduled training pipeline: data, features, candidate models, gates and promotion. */
@Group(ForecastPipeline.GROUP)
@Version(ForecastPipeline.VERSION)
@Kind("ForecastPipeline")
@Plural("forecastpipelines")
@Singular("forecastpipeline")
@ShortNames("fp")
@Categories("almanac")
@AdditionalPrinterColumn(
    name = "Task",
    jsonPath = ".spec.task",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.schedule",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last Run",
    jsonPath = ".status.lastScheduleTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Production",
    jsonPath = ".status.productionVersion",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ForecastPipeline extends CustomResource<ForecastPipelineSpec, ForecastPipelineStatus>
    implements Namespaced {
  public static final String GROUP = "almanac.dev";
  public static final String VERSION = "v1alpha1";
  private static final long serialVersionUID = 1L;
}
