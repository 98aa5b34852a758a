package dev.latchkey.engine.ssh.dynamic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The built-in install script a dynamic role gets when it names none: Vault 1.12's {@code linux_install_script.go}. */
public final class InstallScript {
    private static final String BUILT_IN = load();

    private InstallScript() {
    }

    public static String builtIn() {
        return BUILT_IN;
    }

    private static String load() {
        try (InputStream in = InstallScript.class.getResourceAsStream("install.sh")) {
            if (in == null) {
                throw new IllegalStateException("the built-in install script is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
