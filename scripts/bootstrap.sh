# Sourced by scripts/run and scripts/check: finds Python >= 3.11, installs the system
# packages the kiosk needs (as root, via apt; otherwise prints the apt line), creates
# .venv and installs the kiosk into it. Re-runs are quick: pip runs only when
# pyproject.toml or the constraints change.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${KIOSK_VENV:-$ROOT/.venv}
# Debian/Ubuntu packages the kiosk needs at run time: libzbar0 for the pyzbar QR decoder;
# the libraries Qt 6 (PySide6) loads, for a desktop (xcb) and offscreen; a font with
# Vietnamese glyphs. "a|b": the first name the distribution has (Ubuntu 24.04 renamed
# some libraries with a t64 suffix).
SYSTEM_PACKAGES=(
    libzbar0
    libgl1 libegl1 libdrm2 libfontconfig1 libfreetype6 "libglib2.0-0t64|libglib2.0-0"
    libdbus-1-3 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
    libwayland-client0 libwayland-cursor0
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1
    libxcb-util1 libxcb-xfixes0 libxcb-xkb1
    fonts-dejavu-core
)
# The test suite's own needs (scripts/check): the journey tests run the app on a real X
# server with no window manager (Xvfb) and type into it as a hand scanner does (xdotool).
if [ "${KIOSK_EXTRAS:-}" = "dev" ]; then
    SYSTEM_PACKAGES+=(xvfb xdotool)
fi

say() { printf '[kiosk] %s\n' "$*" >&2; }

find_python() {
    local candidate
    for candidate in "${KIOSK_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

apt_install() {
    # Install Debian packages now when root, else say exactly what to run.
    [ "$#" -gt 0 ] || return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing system packages: $*"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 || true
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    else
        say "missing system packages; install them with:"
        say "  sudo apt-get install -y $*"
        exit 1
    fi
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing_packages() {
    # Prints one name per missing package; for "a|b" alternatives, the first one apt
    # knows (or the first one, when apt cannot tell).
    local spec name choice
    command -v dpkg-query >/dev/null 2>&1 || return 0
    for spec in "$@"; do
        choice=""
        for name in ${spec//|/ }; do
            if installed "$name"; then
                choice="-"
                break
            fi
            if [ -z "$choice" ] && apt-cache show "$name" >/dev/null 2>&1; then
                choice=$name
            fi
        done
        [ "$choice" = "-" ] && continue
        printf '%s\n' "${choice:-${spec%%|*}}"
    done
}

PYTHON=$(find_python) || {
    apt_install python3 python3-venv
    PYTHON=$(find_python) || { say "Python 3.11 or newer is required"; exit 1; }
}

# Debian's python3 ships without ensurepip until python3-venv is installed.
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${version}-venv"
fi

mapfile -t missing < <(missing_packages "${SYSTEM_PACKAGES[@]}")
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >&2  # fresh package lists, so alternatives resolve
    mapfile -t missing < <(missing_packages "${SYSTEM_PACKAGES[@]}")
fi
apt_install "${missing[@]}"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    say "creating the virtualenv in $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi

EXTRAS=${KIOSK_EXTRAS:-}
STAMP="$VENV/.kiosk-installed${EXTRAS:+-$EXTRAS}"
WANT=$(cat "$ROOT/pyproject.toml" "$ROOT/requirements/constraints.txt" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    say "installing the kiosk${EXTRAS:+ with [$EXTRAS]} into $VENV (first run takes a minute)"
    # pip's own chatter (build warnings) goes to a log, shown only when it fails.
    if ! { "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip &&
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
            -c "$ROOT/requirements/constraints.txt" -e "$ROOT${EXTRAS:+[$EXTRAS]}"; } \
        >"$VENV/pip-install.log" 2>&1; then
        cat "$VENV/pip-install.log" >&2
        say "installing the Python packages failed (log above, kept in $VENV/pip-install.log)"
        exit 1
    fi
    printf '%s\n' "$WANT" >"$STAMP"
fi
# The app's translations: Qt Linguist sources in the repo, compiled here (stale ones only).
"$VENV/bin/python" -c 'from kiosk.ui.translations import compile_translations as c; c()' >&2 ||
    say "warning: the translations could not be compiled; the app will show English"
