//! The `parlor` executable: parse the command line, hand over to the library.

use clap::Parser;

/// glibc malloc dominated request profiles (many small JSON allocations); mimalloc halves that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = parlor::config::Cli::parse();
    if let Err(err) = parlor::cli::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
