package dev.almanac.registry;

import java.net.URI;
import java.nio.file.Path;

/**
 * {@link ArtifactStore} for {@code mlflow-artifacts:/path} URIs: files go through the MLflow
 * server's artifact proxy ({@code mlflow server --serve-artifacts}), so clients need no S3
 * credentials. {@code mlflow-artifacts://host:port/path} names another server than the tracking
 * server.
 */
public final class ProxiedArtifactStore implements ArtifactStore {
  static final String SCHEME = "mlflow-artifacts:";

  private final MlflowHttp http;

  public ProxiedArtifactStore(MlflowHttp http) {
    this.http = http;
  }

  @Override
  public boolean handles(String uri) {
    return uri.startsWith(SCHEME);
  }

  @Override
  public void upload(Path file, String uri) {
    var location = Location.parse(uri);
    http.putFile(http.artifactUri(location.server(), location.path()), file);
  }

  @Override
  public void download(String uri, Path target) {
    var location = Location.parse(uri);
    http.getFile(http.artifactUri(location.server(), location.path()), target);
  }

  @Override
  public boolean exists(String uri) {
    // a GET of a missing file answers 500, not 404: ask the directory listing instead
    var location = Location.parse(uri);
    int slash = location.path().lastIndexOf('/');
    var parent = slash < 0 ? "" : location.path().substring(0, slash);
    var name = location.path().substring(slash + 1);
    for (var file : http.listArtifacts(location.server(), parent).path("files")) {
      if (!file.path("is_dir").asBoolean(false)
          && name.equals(lastSegment(file.path("path").asText()))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public java.util.List<ArtifactFile> list(String uri) {
    var location = Location.parse(uri);
    var out = new java.util.ArrayList<ArtifactFile>();
    listInto(location.server(), location.path(), "", out);
    return out;
  }

  private void listInto(URI server, String dir, String relative, java.util.List<ArtifactFile> out) {
    for (var file : http.listArtifacts(server, dir).path("files")) {
      var name = lastSegment(file.path("path").asText());
      var child = dir.isEmpty() ? name : dir + "/" + name;
      var childRelative = relative.isEmpty() ? name : relative + "/" + name;
      if (file.path("is_dir").asBoolean(false)) {
        listInto(server, child, childRelative, out);
      } else {
        out.add(new ArtifactFile(childRelative, file.path("file_size").asLong(-1)));
      }
    }
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code server} is null for the tracking server itself. */
  record Location(URI server, String path) {
    static Location parse(String uri) {
      if (!uri.startsWith(SCHEME)) {
        throw new IllegalArgumentException("not an mlflow-artifacts URI: " + uri);
      }
      var rest = uri.substring(SCHEME.length());
      if (rest.startsWith("//")) {
        var authorityAndPath = rest.substring(2);
        int slash = authorityAndPath.indexOf('/');
        var authority = slash < 0 ? authorityAndPath : authorityAndPath.substring(0, slash);
        var path = slash < 0 ? "" : authorityAndPath.substring(slash + 1);
        return new Location(
            authority.isEmpty() ? null : URI.create("http://" + authority), strip(path));
      }
      return new Location(null, strip(rest));
    }

    private static String strip(String path) {
      var p = path;
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      return p;
    }
  }
}
