/** The operator's typed configuration, read once from the environment the chart sets. */
package dev.almanac.operator.config;
