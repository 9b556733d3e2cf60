/**
 * The demo runtime: what {@code make demo} ({@link dev.almanac.demo.DemoStack}) and {@code make
 * demo-cluster} ({@link dev.almanac.demo.ClusterStack}) run, on top of the test bed's servers. The
 * e2e and node tiers drive these same classes, so the demo a user runs is the one the tests check.
 */
package dev.almanac.demo;
