package io.crmconnect.runner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The pipeline's state directory, held with an exclusive file lock for the whole run: two runs of the same
 * pipeline (a cron job that overlaps the previous one) would otherwise commit each other's offsets.
 */
final class StateDirectory implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectory(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StateDirectory lock(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new PipelineException(
                        ExitCode.ALREADY_RUNNING,
                        "Another run of this pipeline holds " + dir + "; not starting a second one");
            }
            return new StateDirectory(ch, l);
        } catch (IOException e) {
            throw new PipelineException(
                    ExitCode.CONFIG, "Cannot use the state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is ending; the OS releases the lock with the file
        }
    }
}
