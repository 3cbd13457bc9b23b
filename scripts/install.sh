#!/usr/bin/env bash
# Installs sekoia-wizard from this checkout into ~/.cargo/bin, needing only Rust and a C compiler
# (with perl and make): libgit2 and OpenSSL are built from source (the `vendored` feature).
# On Linux with glibc the binary is linked statically and not position-independent: it starts
# without the dynamic loader's work (issue 13's start-up goal; see `cargo bench --bench startup`).
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
case "$host" in
  *-linux-gnu)
    # --target keeps these flags off build scripts and proc-macros (which must stay PIC).
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
      cargo install --locked --path . --features vendored --target "$host" "$@"
    ;;
  *)
    cargo install --locked --path . --features vendored "$@"
    ;;
esac
