package dev.almanac.demo.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's first container turned into a local process: the image becomes a local jar, volumes
 * (ConfigMap, Secret, emptyDir) become directories, paths under their mount points are rewritten,
 * and env (literal, Secret/ConfigMap keys, downward API) is resolved as the kubelet would.
 */
public record LocalCommand(
    List<String> argv, Map<String, String> env, Path workDir, Path terminationLog) {

  public static LocalCommand of(
      KubernetesClient client,
      HasMetadata owner,
      String podName,
      PodSpec pod,
      LocalImages images,
      Path workDir,
      Map<String, String> extraEnv) {
    try {
      Files.createDirectories(workDir);
      var namespace = owner.getMetadata().getNamespace();
      var mounts = new LinkedHashMap<String, Path>();
      var container = pod.getContainers().get(0);
      for (var mount :
          container.getVolumeMounts() == null
              ? List.<io.fabric8.kubernetes.api.model.VolumeMount>of()
              : container.getVolumeMounts()) {
        var volume =
            pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "volume " + mount.getName() + " is not defined"));
        var dir = workDir.resolve("volumes").resolve(mount.getName());
        Files.createDirectories(dir);
        if (volume.getConfigMap() != null) {
          var cm =
              client
                  .configMaps()
                  .inNamespace(namespace)
                  .withName(volume.getConfigMap().getName())
                  .get();
          if (cm == null) {
            throw new IllegalStateException(
                "ConfigMap " + volume.getConfigMap().getName() + " not found");
          }
          for (var e : cm.getData().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
          }
        } else if (volume.getSecret() != null) {
          var secret =
              client
                  .secrets()
                  .inNamespace(namespace)
                  .withName(volume.getSecret().getSecretName())
                  .get();
          if (secret != null && secret.getData() != null) {
            for (var e : secret.getData().entrySet()) {
              Files.write(dir.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
            }
          }
        }
        var path = mount.getMountPath();
        mounts.put(path, mount.getSubPath() == null ? dir : dir.resolve(mount.getSubPath()));
      }
      // The kubelet provides an empty, writable termination-log file; programs write to it if it
      // exists.
      var terminationLog = workDir.resolve("termination-log");
      Files.deleteIfExists(terminationLog);
      Files.createFile(terminationLog);
      var env = new LinkedHashMap<String, String>();
      for (var var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
        var value = resolve(client, namespace, podName, var, extraEnv);
        if (value != null) {
          env.put(var.getName(), rewrite(value, mounts));
        }
      }
      env.putAll(extraEnv);
      env.put("ALMANAC_TERMINATION_LOG", terminationLog.toString());
      env.putIfAbsent("DJL_OFFLINE", "true");
      env.putIfAbsent("OPT_OUT_TRACKING", "true");
      var argv = argv(container, images, mounts).stream().map(a -> expand(a, env)).toList();
      return new LocalCommand(argv, env, workDir, terminationLog);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> argv(
      Container container, LocalImages images, Map<String, Path> mounts) {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var argv = new ArrayList<String>();
    var command = container.getCommand() == null ? List.<String>of() : container.getCommand();
    if (command.isEmpty()) {
      argv.addAll(List.of(java, "-jar", images.requireJar(container.getImage()).toString()));
    } else {
      for (var token : command) {
        if (token.equals("java")) {
          argv.add(java);
        } else if (token.endsWith(".jar")) {
          argv.add(images.requireJar(container.getImage()).toString());
        } else {
          argv.add(rewrite(token, mounts));
        }
      }
    }
    if (container.getArgs() != null) {
      for (var arg : container.getArgs()) {
        // The image's own jar (e.g. /app/almanac-trainer.jar) becomes this build's jar.
        argv.add(
            arg.startsWith("/app/") && arg.endsWith(".jar")
                ? images.requireJar(container.getImage()).toString()
                : rewrite(arg, mounts));
      }
    }
    return argv;
  }

  /** Kubernetes' $(VAR) expansion in command and args; $$ escapes. */
  static String expand(String arg, Map<String, String> env) {
    var out = new StringBuilder();
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c == '$' && i + 1 < arg.length() && arg.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (c == '$' && i + 1 < arg.length() && arg.charAt(i + 1) == '(') {
        int end = arg.indexOf(')', i);
        var name = end < 0 ? null : arg.substring(i + 2, end);
        if (name != null && env.containsKey(name)) {
          out.append(env.get(name));
          i = end;
        } else {
          out.append(c);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String resolve(
      KubernetesClient client,
      String namespace,
      String podName,
      EnvVar var,
      Map<String, String> extraEnv) {
    if (var.getValueFrom() == null) {
      return var.getValue();
    }
    var from = var.getValueFrom();
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      var secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      var data =
          secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
      if (data == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new IllegalStateException(
            "secret key " + ref.getName() + "/" + ref.getKey() + " not found");
      }
      return data == null
          ? null
          : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      var cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
      return cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
    }
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> podName;
        case "metadata.namespace" -> namespace;
        case "metadata.annotations['batch.kubernetes.io/job-completion-index']" ->
            extraEnv.get("JOB_COMPLETION_INDEX");
        default -> null;
      };
    }
    return null;
  }

  /**
   * Paths under a mount point become paths under its local directory, also inside shell scripts.
   * One pass over all mount points (longest first), so a replaced path is never rewritten again.
   */
  private static String rewrite(String value, Map<String, Path> mounts) {
    if (mounts.isEmpty()) {
      return value;
    }
    var paths =
        mounts.keySet().stream()
            .sorted(java.util.Comparator.comparingInt(String::length).reversed())
            .map(java.util.regex.Pattern::quote)
            .toList();
    var pattern =
        java.util.regex.Pattern.compile(
            "(?<=^|[\\s=:'\"])(" + String.join("|", paths) + ")(?=/|$|[\\s'\":;])");
    return pattern
        .matcher(value)
        .replaceAll(
            m -> java.util.regex.Matcher.quoteReplacement(mounts.get(m.group(1)).toString()));
  }
}
