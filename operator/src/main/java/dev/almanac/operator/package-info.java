/**
 * The Almanac operator process: {@link dev.almanac.operator.AlmanacOperator} wires both reconcilers
 * by constructor from one {@link dev.almanac.operator.config.OperatorConfig}; {@link
 * dev.almanac.operator.Labels} and {@link dev.almanac.operator.Annotations} are the label keys and
 * verb annotations shared by both resources. One sub-package per custom resource ({@code pipeline},
 * {@code deployment}) and one per concern they share ({@code config}, {@code events}, {@code http},
 * {@code metrics}, {@code registry}, {@code workload}).
 */
package dev.almanac.operator;
