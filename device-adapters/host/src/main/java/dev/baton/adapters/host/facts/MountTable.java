package dev.baton.adapters.host.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The disk mounts of /proc/self/mounts (proc(5), fstab(5) field order), without pseudo, memory and image file
 * systems and without the mounts container engines and the system make and remove by the minute, so that the
 * facts change when a disk does, not when a container starts.
 */
final class MountTable {

    /** A mount that holds storage. */
    record Mount(String device, String mountPoint, String fileSystem) {}

    static final int MAX_MOUNTS = 32;

    private static final Set<String> PSEUDO = Set.of(
            "proc",
            "sysfs",
            "devtmpfs",
            "devpts",
            "tmpfs",
            "ramfs",
            "cgroup",
            "cgroup2",
            "securityfs",
            "pstore",
            "bpf",
            "debugfs",
            "tracefs",
            "configfs",
            "fusectl",
            "mqueue",
            "hugetlbfs",
            "autofs",
            "binfmt_misc",
            "rpc_pipefs",
            "nsfs",
            "efivarfs",
            "selinuxfs",
            "squashfs",
            "nfsd",
            "rootfs",
            "overlay",
            "aufs",
            "fuse.lxcfs",
            "fuse.gvfsd-fuse",
            "fuse.portal",
            "fuse.snapfuse",
            "devfs",
            "iso9660");

    private static final List<String> SKIPPED_TREES = List.of(
            "/proc",
            "/sys",
            "/dev",
            "/run",
            "/var/lib/docker",
            "/var/lib/containers",
            "/var/lib/kubelet",
            "/snap",
            "/var/snap");

    /** Network file systems: their size is not asked for, since a hung server would hang the collection. */
    static final Set<String> NETWORK = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "ceph");

    private MountTable() {}

    static List<Mount> parse(final String text) {
        final List<Mount> out = new ArrayList<>();
        for (final String line : text.split("\n")) {
            final String[] fields = line.split(" ");
            if (fields.length < 3) {
                continue;
            }
            final String device = unescape(fields[0]);
            final String mountPoint = unescape(fields[1]);
            final String type = fields[2];
            final boolean rootOverlay = type.equals("overlay") && mountPoint.equals("/");
            if ((PSEUDO.contains(type) && !rootOverlay) || skipped(mountPoint)) {
                continue;
            }
            if (out.stream().noneMatch(m -> m.mountPoint().equals(mountPoint))) {
                out.add(new Mount(FactFiles.value(device), mountPoint, FactFiles.value(type)));
            }
            if (out.size() == MAX_MOUNTS) {
                break;
            }
        }
        out.sort((a, b) -> a.mountPoint().compareTo(b.mountPoint()));
        return out;
    }

    private static boolean skipped(final String mountPoint) {
        if (mountPoint.startsWith("/run/media/")) {
            return false; // removable disks mounted by the desktop
        }
        for (final String tree : SKIPPED_TREES) {
            if (mountPoint.equals(tree) || mountPoint.startsWith(tree + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The kernel writes space, tab, newline and backslash in mount fields as octal escapes ({@code \040}). */
    static String unescape(final String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        final StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            final char c = field.charAt(i);
            if (c == '\\'
                    && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
