# Shared helpers for the COINr peer scripts in this folder.
# Sourced by each script; it loads COINr, locates the repository, checks that the
# ASEM data COINr ships equals the copy in /work/shared/peers/asem, and writes
# fixtures as CSV with full-precision numbers and a '#' comment header.

suppressPackageStartupMessages(library(COINr))

# Repository root: the folder two levels above this script (scripts/peers/coinr).
coinr_script_dir <- function() {
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 0) return(normalizePath("."))
  dirname(normalizePath(f[1]))
}
repo_root <- normalizePath(file.path(coinr_script_dir(), "..", "..", ".."))
fixture_dir <- Sys.getenv("FIXTURE_DIR",
                          file.path(repo_root, "crates", "engine", "tests", "fixtures", "coinr"))
dir.create(fixture_dir, recursive = TRUE, showWarnings = FALSE)

# The shared copy of COINr's ASEM data (override with env ASEM_DIR).
asem_dir <- Sys.getenv("ASEM_DIR", "/work/shared/peers/asem")

# Compare COINr's ASEM_iData / ASEM_iMeta with the CSV copies; stop if they differ
# beyond the rounding of the CSV export. Returns a one-line summary for the headers.
check_asem <- function() {
  d <- utils::read.csv(file.path(asem_dir, "asem_iData.csv"), check.names = FALSE,
                       stringsAsFactors = FALSE)
  m <- utils::read.csv(file.path(asem_dir, "asem_iMeta.csv"), check.names = FALSE,
                       stringsAsFactors = FALSE)
  pk <- as.data.frame(COINr::ASEM_iData)
  pm <- as.data.frame(COINr::ASEM_iMeta)
  stopifnot(identical(names(pk), names(d)), nrow(pk) == nrow(d),
            identical(pk$uCode, d$uCode), identical(names(pm), names(m)),
            identical(pm$iCode, m$iCode))
  num <- vapply(pk, is.numeric, logical(1))
  a <- as.matrix(pk[, num]); b <- as.matrix(d[, num])
  stopifnot(identical(is.na(a), is.na(b)))
  rel <- max(abs(a - b) / pmax(abs(a), .Machine$double.xmin), na.rm = TRUE)
  stopifnot(rel < 1e-12,
            isTRUE(all.equal(pk[, !num], d[, !num], check.attributes = FALSE)),
            isTRUE(all.equal(pm, m, check.attributes = FALSE)))
  sprintf(paste0("input: /work/shared/peers/asem (asem_iData.csv, asem_iMeta.csv) = COINr's own ",
                 "ASEM_iData/ASEM_iMeta (checked when run: same units, columns, NA cells and metadata; ",
                 "numbers equal up to the CSV's rounding, max relative difference %.2g); ",
                 "the calls use the package objects"), rel)
}

# Full-precision text for one column: each number via format(x, digits = 17) (or `digits`),
# NA as "NA"; other columns unchanged.
fmt17 <- function(x, digits = 17) {
  if (!is.numeric(x)) return(x)
  vapply(x, function(v) if (is.na(v)) "NA" else format(v, digits = digits), character(1))
}

# Write a data frame as CSV at fixtures/coinr/<name>, preceded by '#' lines:
# COINr and R versions, the date run, the input and the exact calls (a character vector).
write_fixture <- function(df, name, calls, notes = character(0), input = asem_input, digits = 17) {
  path <- file.path(fixture_dir, name)
  out <- as.data.frame(lapply(df, fmt17, digits = digits), stringsAsFactors = FALSE, check.names = FALSE)
  hdr <- c(
    sprintf("COINr %s (github bluefoxr/COINr tag v1.1.14, commit 338b21c); %s",
            as.character(utils::packageVersion("COINr")), R.version.string),
    sprintf("run: %s on %s", format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z"), Sys.info()[["nodename"]]),
    input,
    paste0("call: ", calls),
    notes
  )
  con <- file(path, "w")
  writeLines(paste0("# ", hdr), con)
  # quote only the text columns, so numbers stay plain
  txt <- which(vapply(df, function(v) is.character(v) || is.factor(v), logical(1)))
  utils::write.csv(out, con, row.names = FALSE, na = "NA",
                   quote = if (length(txt)) txt else FALSE)
  close(con)
  message("wrote ", path, " (", nrow(df), " x ", ncol(df), ")")
  invisible(path)
}

asem_input <- check_asem()
