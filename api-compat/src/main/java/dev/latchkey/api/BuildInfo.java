package dev.latchkey.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and build date, filtered into {@code latchkey-build.properties} by Maven. */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    public static String buildDate() {
        return PROPS.getProperty("build.date", "1970-01-01T00:00:00Z");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/latchkey-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall back to the defaults above
        }
        return p;
    }
}
