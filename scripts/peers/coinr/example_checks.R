# COINr's checks of the worked example that `jili index --analyse` also computes:
# Cronbach's alpha of each aggregate's children and each indicator's correlation with its
# pillar. Writes example_checks.csv (one row per aggregate or indicator).
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "common.R"))

coin <- build_example_coin(quietly = TRUE)
aggs <- as.data.frame(coin$Meta$Ind)
aggs <- aggs[aggs$Type == "Aggregate", c("iCode", "Level")]

# Alpha of each aggregate over its children: level-2 children are normalised indicators,
# higher ones aggregate scores.
alpha <- vapply(seq_len(nrow(aggs)), function(i) {
  lvl <- aggs$Level[i] - 1
  dset <- if (lvl == 1) "Normalised" else "Aggregated"
  get_cronbach(coin, dset = dset, iCodes = aggs$iCode[i], Level = lvl)
}, numeric(1))
rows <- data.frame(iCode = aggs$iCode, Kind = "CronbachAlpha", Parent = "", Value = alpha,
                   stringsAsFactors = FALSE)

# Each indicator against its pillar (Pearson, pairwise), on the aggregated data set.
ind <- as.data.frame(coin$Meta$Ind)
ind <- ind[ind$Type == "Indicator", c("iCode", "Parent")]
dat <- get_dset(coin, dset = "Aggregated")
corr <- vapply(seq_len(nrow(ind)), function(i) {
  stats::cor(dat[[ind$iCode[i]]], dat[[ind$Parent[i]]], use = "pairwise.complete.obs")
}, numeric(1))
rows <- rbind(rows, data.frame(iCode = ind$iCode, Kind = "CorrParent", Parent = ind$Parent, Value = corr,
                               stringsAsFactors = FALSE))

write_fixture(rows, "example_checks.csv",
  calls = c('coin <- build_example_coin(quietly = TRUE)',
            'CronbachAlpha: get_cronbach(coin, dset = "Normalised" (children at level 1) or "Aggregated", iCodes = <aggregate>, Level = <children level>)',
            'CorrParent: cor(get_dset(coin, "Aggregated")[[iCode]], ...[[Parent]], use = "pairwise.complete.obs") (as get_corr(coin, dset = "Aggregated", ...))'))
