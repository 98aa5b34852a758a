package dev.latchkey.cluster.durable.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.cluster.durable.DurableBackend;
import dev.latchkey.cluster.durable.DurableChange;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.DurableStoreException;
import dev.latchkey.cluster.durable.GroupCommit;
import dev.latchkey.cluster.durable.Space;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * {@code postgresql} storage: one table, created when missing. A commit returns once PostgreSQL
 * has committed, which with its default {@code synchronous_commit=on} means the WAL is flushed.
 * Writes are grouped ({@link GroupCommit}), one transaction per group.
 */
public final class PostgresStore implements DurableBackend {
    /** Vault's postgresql backend uses vault_kv_store; ours holds sealed values in its own layout. */
    public static final String DEFAULT_TABLE = "latchkey_store";
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** The advisory lock that serialises table creation among processes starting together. */
    private static final long CREATE_LOCK = 0x4c61_7463_686b_6579L; // "Latchkey"

    private final HikariDataSource pool;
    private final String table;

    private PostgresStore(HikariDataSource pool, String table) {
        this.pool = pool;
        this.table = table;
    }

    /**
     * Connects, creates the table when missing, and returns the store.
     *
     * @param connectionUrl Vault's form {@code postgres://user:pass@host:port/db?sslmode=…} or a
     *                      JDBC URL ({@code jdbc:postgresql://…})
     * @param table         the table's name: lower-case letters, digits and {@code _}
     */
    public static DurableStore open(String connectionUrl, String table) {
        return open(PostgresUrl.parse(connectionUrl), table);
    }

    /**
     * {@link #open(String, String)} with the credentials apart from a JDBC URL, as a configuration
     * file that split them out of Vault's URL form gives them.
     *
     * @param user     null to take it from the URL or the driver's defaults
     * @param password null for none
     */
    public static DurableStore open(String jdbcUrl, String user, String password, String table) {
        PostgresUrl parsed = PostgresUrl.parse(jdbcUrl);
        return open(new PostgresUrl(parsed.jdbcUrl(), user != null ? user : parsed.user(),
                password != null ? password : parsed.password()), table);
    }

    private static DurableStore open(PostgresUrl url, String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table name must be lower-case letters, digits and _: " + table);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        // one connection for the flusher, one for start-up reads and spare
        config.setMaximumPoolSize(2);
        config.setAutoCommit(false);
        config.setPoolName("latchkey-postgresql");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DurableStoreException("cannot connect to PostgreSQL at " + url.redacted(), e);
        }
        try {
            PostgresStore store = new PostgresStore(pool, table);
            store.createTable();
            return new GroupCommit(store, "postgresql");
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new DurableStoreException("cannot prepare the PostgreSQL table " + table, e);
        }
    }

    /** Under a transaction-scoped advisory lock: CREATE TABLE IF NOT EXISTS alone races with itself. */
    private void createTable() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            try {
                s.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " (space smallint NOT NULL, key text NOT NULL, "
                        + "value bytea NOT NULL, PRIMARY KEY (space, key))");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public void commit(List<DurableChange> changes) throws SQLException {
        // Only each key's last change matters, and a batch of upserts must not name a key twice.
        Map<List<Object>, DurableChange> last = new LinkedHashMap<>();
        for (DurableChange change : changes) {
            last.put(List.of(change.space(), change.key()), change);
        }
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement put = c.prepareStatement("INSERT INTO " + table + " (space, key, value) VALUES (?, ?, ?) "
                    + "ON CONFLICT (space, key) DO UPDATE SET value = EXCLUDED.value");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE space = ? AND key = ?")) {
                boolean puts = false;
                boolean deletes = false;
                for (DurableChange change : last.values()) {
                    PreparedStatement statement = change.isDelete() ? delete : put;
                    statement.setShort(1, (short) change.space().code());
                    statement.setString(2, change.key());
                    if (change.isDelete()) {
                        deletes = true;
                    } else {
                        statement.setBytes(3, change.value());
                        puts = true;
                    }
                    statement.addBatch();
                }
                if (puts) {
                    put.executeBatch();
                }
                if (deletes) {
                    delete.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public void loadAll(Space space, BiConsumer<String, byte[]> sink) throws SQLException {
        try (Connection c = pool.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT key, value FROM " + table + " WHERE space = ?")) {
            select.setFetchSize(1000); // a cursor, not every row at once (needs autocommit off)
            select.setShort(1, (short) space.code());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sink.accept(rows.getString(1), rows.getBytes(2));
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
