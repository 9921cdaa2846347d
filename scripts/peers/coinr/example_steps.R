# The intermediate data sets of COINr's worked example, so each step can be tested alone:
# each file is units x 49 indicators (wide, uCode first), in COINr's unit order.
# Writes:
#   example_denominated.csv   after Denominate(): indicator / denominator named in iMeta (NA kept)
#   example_imputed.csv       after Impute(): NAs filled with the EurAsia_group mean
#   example_imputed_cells.csv the cells that were NA and the value Impute() put there (long)
#   example_treated.csv       after Treat(): all 49 indicators (15 winsorised, the rest unchanged)
#   example_normalised.csv    after Normalise(): min-max to [0, 100], directions applied
# Run: nice -n 19 Rscript scripts/peers/coinr/example_steps.R

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])),
                 "common.R"))

coin <- build_example_coin(quietly = TRUE)
ind <- coin$Meta$Ind
icodes <- ind$iCode[ind$Type == "Indicator"]
step_calls <- c(
  'coin <- build_example_coin(quietly = TRUE), which runs in turn:',
  'new_coin(ASEM_iData, ASEM_iMeta, level_names = c("Indicator","Pillar","Sub-index","Index"))',
  'Denominate(coin, dset = "Raw")  -> "Denominated"',
  'Impute(coin, dset = "Denominated", f_i = "i_mean_grp", use_group = "EurAsia_group")  -> "Imputed"',
  'Screen(coin, dset = "Imputed", dat_thresh = 0.9, unit_screen = "byNA")  -> "Screened" (no unit removed)',
  'Treat(coin, dset = "Screened", global_specs = list(f1_para = list(winmax = 5)))  -> "Treated"',
  'Normalise(coin, dset = "Treated", global_specs = list(f_n = "n_minmax", f_n_para = list(c(0,100))))  -> "Normalised"')

# Take one data set from the coin: uCode plus the 49 indicators.
dset_table <- function(dset) {
  d <- get_dset(coin, dset = dset)
  d[c("uCode", icodes)]
}

den <- coin$Meta$Ind[!is.na(ind$Denominator), c("iCode", "Denominator")]
den_txt <- paste(sprintf("%s/%s", den$iCode, den$Denominator), collapse = " ")
write_fixture(dset_table("Denominated"), "example_denominated.csv",
  calls = c(step_calls[1:3], 'get_dset(coin, dset = "Denominated")'),
  notes = c(sprintf("%d indicators divided by the iData column named in iMeta's Denominator: %s",
                    nrow(den), den_txt),
            "the other indicators are copied from Raw; NA = missing in Raw; numbers are format(x, digits = 17)"))

imp <- dset_table("Imputed")
dn <- dset_table("Denominated")
write_fixture(imp, "example_imputed.csv",
  calls = c(step_calls[1:4], 'get_dset(coin, dset = "Imputed")'),
  notes = c(sprintf("%d cells imputed (listed in example_imputed_cells.csv); i_mean_grp: the mean of the indicator over the units of the same EurAsia_group (Asia / Europe) that have a value",
                    sum(is.na(dn[icodes]))),
            "numbers are format(x, digits = 17)"))

# Cells that were missing after denomination, with the group and the imputed value.
grp <- get_dset(coin, dset = "Denominated", also_get = "EurAsia_group")
cells <- do.call(rbind, lapply(icodes, function(ic) {
  miss <- which(is.na(dn[[ic]]))
  if (!length(miss)) return(NULL)
  data.frame(uCode = dn$uCode[miss], iCode = ic,
             EurAsia_group = grp$EurAsia_group[match(dn$uCode[miss], grp$uCode)],
             Imputed = imp[[ic]][match(dn$uCode[miss], imp$uCode)], stringsAsFactors = FALSE)
}))
write_fixture(cells, "example_imputed_cells.csv",
  calls = c(step_calls[1:4],
            'cells where get_dset(coin, "Denominated") is NA; Imputed = get_dset(coin, "Imputed") there'),
  notes = "rows in indicator order, then COINr's unit order; numbers are format(x, digits = 17)")

write_fixture(dset_table("Treated"), "example_treated.csv",
  calls = c(step_calls[1:6], 'get_dset(coin, dset = "Treated")'),
  notes = c("treatment details per indicator: example_treatment.csv and example_treated_points.csv",
            "numbers are format(x, digits = 17)"))

dirs <- ind$Direction[match(icodes, ind$iCode)]
write_fixture(dset_table("Normalised"), "example_normalised.csv",
  calls = c(step_calls, 'get_dset(coin, dset = "Normalised")'),
  notes = c(sprintf("n_minmax to [0, 100] after multiplying by iMeta Direction (-1 for: %s)",
                    paste(icodes[dirs == -1], collapse = " ")),
            "numbers are format(x, digits = 17)"))
