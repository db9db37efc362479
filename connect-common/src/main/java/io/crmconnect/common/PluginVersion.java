package io.crmconnect.common;

/** The version a plugin reports through {@code version()}: the Implementation-Version of the jar it was loaded from. */
public final class PluginVersion {
    /** Reported when a class runs from a build directory instead of a jar (e.g. in an IDE). */
    public static final String UNKNOWN = "0.0.0-unknown";

    private PluginVersion() {}

    public static String of(Class<?> pluginClass) {
        Package pkg = pluginClass.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null || version.isBlank() ? UNKNOWN : version;
    }
}
