# Sourced by the launchers: an application class-data archive (AppCDS) per program, JDK and build, so that a JVM
# maps the classes it needs instead of loading and verifying them again at every start (the agent's start to
# connected-and-reported drops by about a third; docs/performance.md).
#
# JDK 17 has no -XX:+AutoCreateSharedArchive (JDK 19), so this does what it does: a run without an archive dumps
# one when it exits (-XX:ArchiveClassesAtExit) under a name of its own; the next start promotes the dump once the
# JVM's log says it was written completely (a truncated archive would crash the JVM), and uses it. The archive's
# name carries the JDK's runtime version and a checksum of the jars' sizes and times, so a new JDK or a rebuild
# starts a new archive and never meets a stale one. Off with BATON_CDS=off; the directory is BATON_CDS_DIR
# (default: target/cds next to the jars), and nothing happens when it cannot be written.
#
# Usage: class_archive_args NAME JAR LIBDIR JVM_OPTIONS dump|use  -> sets the array CLASS_ARCHIVE_ARGS
# (the JVM options are part of the checksum: an archive dumped with other heap or GC settings may not map). Only a
# run that loads what later starts need should dump ("dump"): an archive holds the classes of the run that made it,
# so one made by `baton-agent --help` would serve `baton-agent run` badly for as long as the build lives.
# "dump" unless the arguments only ask for help or the version.
class_archive_mode() {
  local arg
  for arg in "$@"; do
    case "$arg" in -h | --help | -V | --version | help) echo use; return ;; esac
  done
  echo dump
}

class_archive_args() {
  local name="$1" jar="$2" lib="$3" options="$4" mode="$5"
  CLASS_ARCHIVE_ARGS=()
  [ "${BATON_CDS:-on}" != off ] || return 0
  local java_bin home runtime stamp dir archive log part pid
  java_bin="$(command -v "${JAVA:-java}")" || return 0
  home="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
  runtime="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$home/release" 2>/dev/null)"
  [ -n "$runtime" ] || return 0
  stamp="$({ ls -l --time-style=+%s "$jar" "$lib" 2>/dev/null; echo "$options"; } | cksum | cut -d' ' -f1)"
  dir="${BATON_CDS_DIR:-$(dirname "$jar")/cds}"
  archive="$dir/$name-${runtime//[^A-Za-z0-9.+-]/_}-$stamp.jsa"
  if [ ! -f "$archive" ]; then
    for log in "$archive".*.log; do
      [ -f "$log" ] || continue
      part="${log%.log}"
      pid="${part##*.}"
      if [ -f "$part" ] && grep -q "Written dynamic archive" "$log"; then
        mv -f "$part" "$archive" && rm -f "$log"
        # Archives of other builds or JDKs are of no use any more.
        find "$dir" -maxdepth 1 -name "$name-*.jsa*" ! -name "$(basename "$archive")" -delete 2>/dev/null || true
        break
      elif ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$part" "$log" # ended before its dump was complete (killed, say)
      fi
    done
  fi
  if [ -f "$archive" ]; then
    CLASS_ARCHIVE_ARGS=(-XX:SharedArchiveFile="$archive")
  elif [ "$mode" = dump ] && mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    # exec keeps this shell's pid, so $$ is the JVM's pid. The dump's warnings (classes it skips, such as picocli's
    # Java 5 class files) go to the log file, never to standard output, where a CLI's answer is.
    CLASS_ARCHIVE_ARGS=(-XX:ArchiveClassesAtExit="$archive.$$" "-Xlog:cds*=off"
      -Xlog:cds+dynamic=info:file="$archive.$$.log")
  fi
}
