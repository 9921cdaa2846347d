# Panel (several Time values) builds with COINr's ASEM panel data ASEM_iData_p
# (51 units x 5 years 2018-2022; COINr documents it as artificial: the 2018 rows are
# ASEM_iData, later years add noise). A "purse" holds one coin per Time.
# Writes (long format: one row per Time and unit, then Index, Conn, Sust, the 8 pillars):
#   panel_example.csv         build_example_purse(): screen 0.9 on Raw, default Treat,
#                             Normalise(global = TRUE) (min-max bounds pooled over all years), a_amean
#   panel_default_pooled.csv  new_coin(split_to = "all") -> Normalise(dset = "Raw") with its
#                             purse default global = TRUE -> Aggregate(): no screen/impute/treat
#   panel_default_peryear.csv the same with Normalise(global = FALSE): bounds per year
# The panel input is not in /work/shared/peers/asem; export_panel_input.R writes it as CSV.
# Run: nice -n 19 Rscript scripts/peers/coinr/panel.R

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])),
                 "common.R"))

pd <- as.data.frame(COINr::ASEM_iData_p)
y0 <- pd[pd$Time == 2018, ]
same_2018 <- isTRUE(all.equal(y0[names(y0) != "Time"], as.data.frame(COINr::ASEM_iData)[names(y0) != "Time"],
                              check.attributes = FALSE, tolerance = 0))
panel_input <- sprintf(paste0("input: COINr's ASEM_iData_p (%d rows: %d units x Time %s; artificial panel, its 2018 rows %s ASEM_iData = /work/shared/peers/asem/asem_iData.csv) ",
                              "with ASEM_iMeta = /work/shared/peers/asem/asem_iMeta.csv; export the panel with export_panel_input.R"),
                       nrow(pd), length(unique(pd$uCode)), paste(sort(unique(pd$Time)), collapse = ","),
                       if (same_2018) "equal" else "differ from")

# One long table from a purse: Time, uCode, then the aggregates (Index first).
purse_scores <- function(purse) {
  do.call(rbind, lapply(seq_len(nrow(purse)), function(i) {
    coin <- purse$coin[[i]]
    meta <- coin$Meta$Ind
    aggs <- meta$iCode[meta$Type == "Aggregate"]
    aggs <- aggs[order(-meta$Level[match(aggs, meta$iCode)])]
    d <- get_dset(coin, dset = "Aggregated")
    d <- d[order(-d$Index), ]
    data.frame(Time = purse$Time[i], uCode = d$uCode,
               Rank = rank(-d$Index, ties.method = "min"), d[aggs], check.names = FALSE,
               stringsAsFactors = FALSE)
  }))
}
removed_txt <- function(purse) paste(vapply(seq_len(nrow(purse)), function(i) {
  r <- purse$coin[[i]]$Analysis$Screened$RemovedUnits
  sprintf("%s: %s", purse$Time[i], if (length(r)) paste(r, collapse = " ") else "none")
}, character(1)), collapse = "; ")

# 1. COINr's example purse.
purse <- build_example_purse(quietly = TRUE)
write_fixture(purse_scores(purse), "panel_example.csv", input = panel_input,
  calls = c('purse <- build_example_purse(quietly = TRUE), which runs:',
            'new_coin(ASEM_iData_p, ASEM_iMeta, level_names = c("Indicator","Pillar","Sub-index","Index"), split_to = "all")',
            'Screen(purse, dset = "Raw", dat_thresh = 0.9, unit_screen = "byNA")',
            'Treat(purse, dset = "Screened")  (default rule, per year)',
            'Normalise(purse, dset = "Treated", global = TRUE)  (n_minmax [0,100]; min/max over all years together)',
            'Aggregate(purse, dset = "Normalised")  (a_amean, iMeta weights)',
            'per Time: get_dset(purse$coin[[i]], dset = "Aggregated"); Rank = rank(-Index, ties.method = "min") within the year'),
  notes = c(sprintf("units screened out per year: %s", removed_txt(purse)),
            "no denomination and no imputation in this example (aggregation skips NAs); numbers are format(x, digits = 17)"))

# 2. The plain build with COINr's defaults, bounds pooled (the purse default) and per year.
purse0 <- new_coin(COINr::ASEM_iData_p, COINr::ASEM_iMeta,
                   level_names = c("Indicator", "Pillar", "Sub-index", "Index"), split_to = "all",
                   quietly = TRUE)
for (glob in c(TRUE, FALSE)) {
  p <- suppressMessages(Normalise(purse0, dset = "Raw", global = glob))
  p <- suppressMessages(Aggregate(p, dset = "Normalised"))
  name <- if (glob) "panel_default_pooled.csv" else "panel_default_peryear.csv"
  write_fixture(purse_scores(p), name, input = panel_input,
    calls = c('purse <- new_coin(ASEM_iData_p, ASEM_iMeta, level_names = c("Indicator","Pillar","Sub-index","Index"), split_to = "all", quietly = TRUE)',
              sprintf('purse <- Normalise(purse, dset = "Raw", global = %s)  (default n_minmax [0,100]; %s)', glob,
                      if (glob) "global = TRUE is the purse default: min/max over all years together" else "min/max within each year"),
              'purse <- Aggregate(purse, dset = "Normalised")  (default a_amean, iMeta weights)',
              'per Time: get_dset(purse$coin[[i]], dset = "Aggregated"); Rank = rank(-Index, ties.method = "min") within the year'),
    notes = c("no denominate / impute / screen / treat: raw indicators, NAs skipped by the mean",
              "numbers are format(x, digits = 17)"))
}
