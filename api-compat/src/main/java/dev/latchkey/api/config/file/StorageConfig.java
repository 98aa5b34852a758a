package dev.latchkey.api.config.file;

import java.nio.file.Path;
import java.util.Objects;

/** The {@code storage "<type>" {}} stanza: the three kinds Latchkey stores in. */
public sealed interface StorageConfig {
    /** {@code storage "inmem" {}}: nothing survives a restart. */
    record Inmem() implements StorageConfig {
    }

    /** {@code storage "file" { path = "..." }}. */
    record File(Path path) implements StorageConfig {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * {@code storage "postgresql" { connection_url = "...", table = "..." }}. Vault's
     * {@code postgres://user:pass@host:port/db?sslmode=...} form is turned into a JDBC URL with the
     * user and password taken out; a {@code jdbc:postgresql:} URL is taken as it is.
     *
     * @param jdbcUrl  without credentials
     * @param user     null when the URL named none
     * @param password null when the URL named none; never printed
     * @param table    {@code latchkey_store} unless set: not Vault's {@code vault_kv_store}, whose rows are laid out
     *                 differently, so that a database Vault also uses is never written over
     */
    record Postgresql(String jdbcUrl, String user, String password, String table) implements StorageConfig {
        public Postgresql {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(table, "table");
        }

        @Override
        public String toString() {
            return "Postgresql[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
                    + (password == null ? "null" : "<redacted>") + ", table=" + table + "]";
        }
    }
}
