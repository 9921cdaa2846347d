# COINr's full worked example on ASEM (build_example_coin(): denominate, impute by
# EurAsia_group mean, screen at 90% data availability, treat (winsorise, winmax 5),
# normalise min-max 0-100, aggregate by arithmetic mean).
# Writes:
#   example_index.csv     per unit: the Index, both sub-indices and all 8 pillars, and the Index rank
#   example_screening.csv per unit: COINr's screening summary (data availability, Included),
#                         plus what the same rule gives on the denominated (not yet imputed) data
# Run: nice -n 19 Rscript scripts/peers/coinr/example_index.R

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])),
                 "common.R"))

coin <- build_example_coin(quietly = TRUE)

# Aggregated scores: the Index, sub-indices and pillars (Levels 2-4), per unit.
meta <- coin$Meta$Ind
aggs <- meta$iCode[meta$Type == "Aggregate"]
aggs <- aggs[order(-meta$Level[match(aggs, meta$iCode)])]  # Index, Conn, Sust, then pillars
scores <- get_dset(coin, dset = "Aggregated", also_get = "uName")
scores <- scores[order(-scores$Index), ]
out <- data.frame(uCode = scores$uCode, uName = scores$uName,
                  Rank = rank(-scores$Index, ties.method = "min"),
                  scores[aggs], check.names = FALSE, stringsAsFactors = FALSE)

removed <- coin$Analysis$Screened$RemovedUnits
removed_txt <- if (length(removed)) paste(removed, collapse = " ") else "none"

write_fixture(out, "example_index.csv",
  calls = c('coin <- build_example_coin(quietly = TRUE)',
            'which runs: new_coin(ASEM_iData, ASEM_iMeta, level_names = c("Indicator","Pillar","Sub-index","Index"));',
            'which runs: Denominate(coin, dset = "Raw");',
            'which runs: Impute(coin, dset = "Denominated", f_i = "i_mean_grp", use_group = "EurAsia_group");',
            'which runs: Screen(coin, dset = "Imputed", dat_thresh = 0.9, unit_screen = "byNA");',
            'which runs: Treat(coin, dset = "Screened", global_specs = list(f1_para = list(winmax = 5)));',
            'which runs: Normalise(coin, dset = "Treated", global_specs = list(f_n = "n_minmax", f_n_para = list(c(0,100))));',
            'which runs: Aggregate(coin, dset = "Normalised", f_ag = "a_amean")  (weights: iMeta Weight, all 1)',
            sprintf('get_dset(coin, dset = "Aggregated", also_get = "uName")[c("uCode", "uName", %s)]',
                    paste0('"', aggs, '"', collapse = ", ")),
            'Rank = rank(-Index, ties.method = "min")  (as COINr::rank_df)'),
  notes = c(sprintf("units screened out by Screen(): %s (%d of %d units kept)", removed_txt,
                    nrow(coin$Data$Screened), nrow(coin$Data$Raw)),
            "rows sorted by Index, descending; numbers are format(x, digits = 17)"))

# Screening summary: COINr's own (on the imputed data, as in the example) ...
ds <- coin$Analysis$Screened$DataSummary
# ... and the same rule applied to the denominated data before imputation, for comparison.
coin_den <- build_example_coin(up_to = "Denominate", quietly = TRUE)
coin_den <- Screen(coin_den, dset = "Denominated", dat_thresh = 0.9, unit_screen = "byNA")
dd <- coin_den$Analysis$Screened$DataSummary
dd <- dd[match(ds$uCode, dd$uCode), ]
scr <- data.frame(uCode = ds$uCode,
                  N_missing = ds$N_missing, Dat_Avail = ds$Dat_Avail, Included = ds$Included,
                  PreImpute_N_missing = dd$N_missing, PreImpute_Dat_Avail = dd$Dat_Avail,
                  PreImpute_Included = dd$Included)
pre_removed <- coin_den$Analysis$Screened$RemovedUnits
write_fixture(scr, "example_screening.csv",
  calls = c('coin <- build_example_coin(quietly = TRUE); coin$Analysis$Screened$DataSummary  (columns N_missing, Dat_Avail, Included)',
            'coin_den <- Screen(build_example_coin(up_to = "Denominate", quietly = TRUE), dset = "Denominated", dat_thresh = 0.9, unit_screen = "byNA")',
            'coin_den$Analysis$Screened$DataSummary  (columns PreImpute_*; not part of the example, for comparison only)'),
  notes = c(sprintf("example (screening the imputed data): removed %s", removed_txt),
            sprintf("same rule on the denominated data before imputation would remove: %s",
                    if (length(pre_removed)) paste(pre_removed, collapse = " ") else "none"),
            "Dat_Avail = share of the 49 indicators that are not NA; a unit is Included when Dat_Avail >= 0.9"))
