package dev.latchkey.cluster.durable.sqlite;

import dev.latchkey.cluster.durable.DurableBackend;
import dev.latchkey.cluster.durable.DurableChange;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.DurableStoreException;
import dev.latchkey.cluster.durable.GroupCommit;
import dev.latchkey.cluster.durable.Space;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code file} storage: one SQLite database in a data directory, in WAL mode with
 * {@code synchronous=FULL}, so a commit returns only after the log is fsynced.
 *
 * <p>Chosen over H2's MVStore and RocksDB by measurement on a 2-core machine, 32 threads writing
 * 1 KiB values, a sync per commit: with group commit SQLite made 11,900 writes/s, MVStore 9,200,
 * RocksDB 34,500; one sync per write, 875, 544 and 888. All three carry a {@code creds} load
 * (two writes each) well past 2,000 requests/s once commits are grouped, so the sync, not the
 * library, sets the pace; SQLite then wins on what matters for data that must not be lost: the
 * most exercised crash recovery of the three, a single file an operator can back up and inspect
 * with the {@code sqlite3} tool, and a small native library (RocksDB's is tens of megabytes).
 *
 * <p>One process at a time: a lock file in the directory refuses a second opener, because two
 * nodes over one file would each keep their own view in memory.
 */
public final class SqliteStore implements DurableBackend {
    private static final String DATABASE = "latchkey.db";
    private static final String LOCK = "latchkey.lock";

    private final Connection connection;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private SqliteStore(Connection connection, FileChannel lockChannel, FileLock lock) {
        this.connection = connection;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating when missing, readable by this user only) the store in {@code directory}.
     *
     * @throws DurableStoreException when it cannot be opened, or another process has it open
     */
    public static DurableStore open(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new DurableStoreException("another process has the data directory " + directory + " open");
            }
            try {
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve(DATABASE));
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    // FULL: in WAL mode, every commit syncs the log before it returns
                    s.execute("PRAGMA synchronous=FULL");
                    s.execute("CREATE TABLE IF NOT EXISTS entries (space INTEGER NOT NULL, key TEXT NOT NULL, "
                            + "value BLOB NOT NULL, PRIMARY KEY (space, key)) WITHOUT ROWID");
                }
                c.setAutoCommit(false);
                return new GroupCommit(new SqliteStore(c, channel, lock), "file");
            } catch (SQLException | RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
        } catch (IOException | SQLException e) {
            throw new DurableStoreException("cannot open the data directory " + directory, e);
        }
    }

    @Override
    public void commit(List<DurableChange> changes) throws SQLException {
        try (PreparedStatement put = connection.prepareStatement("INSERT OR REPLACE INTO entries (space, key, value) VALUES (?, ?, ?)");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM entries WHERE space = ? AND key = ?")) {
            // one statement at a time, in order: a later change to a key must win
            for (DurableChange change : changes) {
                PreparedStatement statement = change.isDelete() ? delete : put;
                statement.setInt(1, change.space().code());
                statement.setString(2, change.key());
                if (!change.isDelete()) {
                    statement.setBytes(3, change.value());
                }
                statement.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public void loadAll(Space space, BiConsumer<String, byte[]> sink) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT key, value FROM entries WHERE space = ?")) {
            select.setInt(1, space.code());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sink.accept(rows.getString(1), rows.getBytes(2));
                }
            }
        } finally {
            connection.rollback(); // ends the read transaction, so the log can be checkpointed
        }
    }

    @Override
    public void close() throws Exception {
        try {
            connection.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
