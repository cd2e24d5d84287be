package dev.webtalk.store.sqlite;

import dev.webtalk.StoreException;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Operator tasks on a WebTalk SQLite file that are safe while a server is using it: an integrity
 * check and an online backup. Both open their own read-only connection; WAL mode lets them read a
 * consistent snapshot without stopping writers.
 */
public final class SqliteMaintenance {
    private SqliteMaintenance() {
    }

    /**
     * Checks the file: SQLite's {@code integrity_check} and {@code foreign_key_check}, and a schema
     * version this WebTalk knows.
     *
     * @return the problems found (a damaged or foreign file is a problem too), empty when healthy
     * @throws StoreException when there is no file
     */
    public static List<String> check(Path dbFile) {
        List<String> problems = new ArrayList<>();
        try (Connection c = openReadOnly(dbFile)) {
            int version = Migrations.currentVersion(c);
            if (version > Migrations.latestVersion()) {
                problems.add("schema version " + version + " is newer than this WebTalk knows ("
                        + Migrations.latestVersion() + ")");
            } else if (version == 0) {
                problems.add("not a WebTalk database (schema version 0)");
            }
            try (PreparedStatement ps = c.prepareStatement("PRAGMA integrity_check");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (!"ok".equals(line)) {
                        problems.add("integrity: " + line);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("PRAGMA foreign_key_check");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problems.add("foreign key: row " + rs.getLong(2) + " of " + rs.getString(1)
                            + " points at a missing " + rs.getString(3));
                }
            }
        } catch (SQLException e) {
            problems.add("unreadable: " + e.getMessage());
        }
        return problems;
    }

    /**
     * Writes a consistent, compacted copy of the database to {@code target} ({@code VACUUM INTO}),
     * while other connections keep reading and writing.
     *
     * @throws StoreException when {@code target} exists already or the copy fails (no partial file is left)
     */
    public static void backup(Path dbFile, Path target) {
        if (Files.exists(target)) {
            throw new StoreException("backup target " + target + " exists already; choose a new file", null);
        }
        try (Connection c = openReadOnly(dbFile);
             PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, target.toAbsolutePath().toString());
            ps.execute();
        } catch (SQLException e) {
            try {
                Files.deleteIfExists(target);
            } catch (java.io.IOException ignored) {
                // the original failure is what matters
            }
            throw new StoreException("backup of " + dbFile + " to " + target + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The attachments live messages refer to, as key → size in bytes (read-only; safe while a server
     * runs). Deleted file messages no longer refer to their bytes.
     */
    public static Map<String, Long> referencedFiles(Path dbFile) {
        Map<String, Long> files = new HashMap<>();
        try (Connection c = openReadOnly(dbFile);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT file_id, file_size FROM messages WHERE file_id IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                files.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the file references in " + dbFile + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static Connection openReadOnly(Path dbFile) throws SQLException {
        if (!Files.isRegularFile(dbFile)) {
            throw new StoreException("no database at " + dbFile, null);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5_000);
        return config.createConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
    }
}
