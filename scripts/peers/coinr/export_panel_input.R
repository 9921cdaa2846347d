# Export COINr's ASEM panel data (ASEM_iData_p) as CSV, in the same layout as
# /work/shared/peers/asem/asem_iData.csv, so the panel fixtures can be rebuilt by others.
# Writes <dir>/asem_iData_p.csv (numbers at 17 significant digits).
# Run: nice -n 19 Rscript scripts/peers/coinr/export_panel_input.R <dir>

suppressPackageStartupMessages(library(COINr))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript export_panel_input.R <output directory>")
out <- file.path(args[1], "asem_iData_p.csv")
pd <- as.data.frame(COINr::ASEM_iData_p)
num <- vapply(pd, is.numeric, logical(1))
pd[num] <- lapply(pd[num], function(x)
  vapply(x, function(v) if (is.na(v)) "NA" else format(v, digits = 17), character(1)))
utils::write.csv(pd, out, row.names = FALSE, na = "NA", quote = which(!num))
message("wrote ", out, " (", nrow(pd), " x ", ncol(pd), ")")
