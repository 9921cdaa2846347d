# Outlier treatment in COINr's worked example (Treat() on the screened ASEM data,
# default rule: while |skew| > 2 and kurtosis > 3.5, winsorise, at most winmax = 5 points;
# if it still fails, a log transform (log_CT) of the original values instead).
# Writes:
#   example_treatment.csv      per indicator: COINr's treatment summary (Dets_Table) — skew/kurtosis
#                              before and after, points winsorised, winsorised high/low, log-transformed
#   example_treated_points.csv per treated indicator and unit: value before (Screened) and after
#                              (Treated) treatment, and COINr's flag for the point (winhi/winlo/log_CT)
# Run: nice -n 19 Rscript scripts/peers/coinr/example_treat.R

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])),
                 "common.R"))

coin <- build_example_coin(quietly = TRUE)
dets <- coin$Analysis$Treated$Dets_Table      # one row per indicator
pts <- coin$Analysis$Treated$Treated_Points   # units x indicators, "" / "winhi" / "winlo" / "log_CT"
before <- get_dset(coin, dset = "Screened")
after <- get_dset(coin, dset = "Treated")
stopifnot(identical(before$uCode, after$uCode), nrow(pts) == nrow(after))

col_or_na <- function(df, name) if (name %in% names(df)) df[[name]] else rep(NA, nrow(df))

# Summary per indicator. An indicator is treated when it fails the first check;
# it is log-transformed when winsorising did not make it pass (a third check exists).
logged <- !is.na(col_or_na(dets, "check_SkewKurt2.Pass"))
n_flag <- function(ic, flag) sum(pts[[ic]] == flag)
summ <- data.frame(
  iCode = dets$iCode,
  Treated = !dets$check_SkewKurt0.Pass,
  Skew_before = dets$check_SkewKurt0.Skew,
  Kurt_before = dets$check_SkewKurt0.Kurt,
  nwin = col_or_na(dets, "winsorise.nwin"),
  n_winhi = vapply(dets$iCode, n_flag, numeric(1), flag = "winhi"),
  n_winlo = vapply(dets$iCode, n_flag, numeric(1), flag = "winlo"),
  Pass_after_winsorise = col_or_na(dets, "check_SkewKurt1.Pass"),
  Skew_after_winsorise = col_or_na(dets, "check_SkewKurt1.Skew"),
  Kurt_after_winsorise = col_or_na(dets, "check_SkewKurt1.Kurt"),
  Log_transformed = logged,
  Skew_after_log = col_or_na(dets, "check_SkewKurt2.Skew"),
  Kurt_after_log = col_or_na(dets, "check_SkewKurt2.Kurt"),
  stringsAsFactors = FALSE)
treated_codes <- summ$iCode[summ$Treated]

write_fixture(summ, "example_treatment.csv",
  calls = c('coin <- build_example_coin(quietly = TRUE)  (its Treat step: Treat(coin, dset = "Screened", global_specs = list(f1_para = list(winmax = 5))))',
            'coin$Analysis$Treated$Dets_Table: check_SkewKurt0.* -> *_before, winsorise.nwin -> nwin, check_SkewKurt1.* -> *_after_winsorise, check_SkewKurt2.* -> *_after_log',
            'n_winhi / n_winlo = count of "winhi" / "winlo" in coin$Analysis$Treated$Treated_Points for the indicator'),
  notes = c("COINr defaults: f1 = winsorise(na.rm = TRUE, winmax = 5, skew_thresh = 2, kurt_thresh = 3.5), f2 = log_CT(na.rm = TRUE), f_pass = check_SkewKurt(na.rm = TRUE, skew_thresh = 2, kurt_thresh = 3.5), combine_treat = FALSE",
            "check_SkewKurt passes when |skew| < 2 OR kurtosis < 3.5 (COINr's skew()/kurt(), taken from e1071 type 2: bias-corrected sample skewness G1 and excess kurtosis G2); Treated = failed the first check",
            "nwin is COINr's own count: the number of points tied at the final winsorised max (or min), as winsorise() computes it",
            sprintf("treated: %d indicators (%s); log-transformed: %d", length(treated_codes),
                    paste(treated_codes, collapse = " "), sum(logged))))

# Before/after values of every unit for each treated indicator (long format).
long <- do.call(rbind, lapply(treated_codes, function(ic) {
  data.frame(iCode = ic, uCode = after$uCode, Before = before[[ic]], After = after[[ic]],
             Flag = pts[[ic]], stringsAsFactors = FALSE)
}))
# Only the points COINr moved: the rest is ASEM's data, which stays out of the repository.
long <- long[long$Flag != "", ]
write_fixture(long, "example_treated_points.csv",
  calls = c('coin <- build_example_coin(quietly = TRUE)',
            'Before = get_dset(coin, dset = "Screened")[[iCode]]; After = get_dset(coin, dset = "Treated")[[iCode]]',
            'Flag = coin$Analysis$Treated$Treated_Points[[iCode]]  ("" = unchanged point)'),
  notes = c(sprintf("rows: the %d treated indicators x %d units, in indicator order then COINr's unit order",
                    length(treated_codes), nrow(after)),
            "Before is the screened data = the denominated data with NAs imputed by EurAsia_group mean; numbers are format(x, digits = 17)"))
