# Timings of COINr on this machine (system.time, median of 3 runs, seeds 1, 2, 3) for:
#   build  one build_example_coin() (timed over 10 builds, per build)
#   ua     uncertainty analysis, N = 1000: weights x U(0.75, 1.25) at levels 1-3,
#          normalisation drawn from min-max / percentile rank / z-score
#   ua_agg uncertainty analysis, N = 1000: weights as above, normalisation min-max [1,100] /
#          z-score (10, 2), aggregation arithmetic / geometric mean
#   sa     Sobol sensitivity analysis, N = 100, four choices (COINr's vignette("sensitivity")
#          design): winsorising winmax 1-5, normalisation, weights, aggregation -> N(d+2) = 600 builds
# Writes:
#   timings.csv          one row per task: the three runs, medians, per-build time, spec
#   example_sobol.csv    COINr's Sobol first-order / total indices (bootstrap 5-95%) of the sa run, seed 1
#   example_ua_ranks.csv COINr's rank statistics (nominal, mean, median, 5th/95th percentile) of the ua run, seed 1
# Every design targets the Index of the "Aggregated" data set of build_example_coin().
# Run: nice -n 19 Rscript scripts/peers/coinr/timings.R   (takes ~20-40 minutes; env TASKS=build,ua,... to subset)

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])),
                 "common.R"))

`%nin%` <- function(x, y) !(x %in% y)
# Sample sizes (env N_UA / N_SA only to try the script quickly; the fixtures use 1000 / 100).
N_UA <- as.numeric(Sys.getenv("N_UA", "1000"))
N_SA <- as.numeric(Sys.getenv("N_SA", "100"))

coin <- build_example_coin(quietly = TRUE)
w_nom <- coin$Meta$Weights$Original

# Weight sets: each weight of the given levels multiplied by U(1 - 0.25, 1 + 0.25), independently
# (COINr's get_noisy_weights adds (2U - 1) * NoiseFactor * w).
noisy <- function(levels, n) get_noisy_weights(w = w_nom, Nrep = n,
  noise_specs = data.frame(Level = levels, NoiseFactor = rep(0.25, length(levels))))

# Each design: a function of the seed returning get_sensitivity()'s result, plus its description.
designs <- list(
  ua = list(
    N = N_UA, builds = N_UA,
    spec = c('set.seed(seed); w_sets <- get_noisy_weights(w = coin$Meta$Weights$Original, noise_specs = data.frame(Level = c(1,2,3), NoiseFactor = c(0.25,0.25,0.25)), Nrep = %N%)',
             'SA_specs <- list(Weights = list(Address = "$Log$Aggregate$w", Distribution = w_sets, Type = "discrete"),',
             '  Normalisation = list(Address = "$Log$Normalise$global_specs", Type = "discrete", Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(0,100))), list(f_n = "n_prank"), list(f_n = "n_zscore", f_n_para = list(c(0,1))))))',
             'get_sensitivity(coin, SA_specs = SA_specs, N = %N%, SA_type = "UA", dset = "Aggregated", iCode = "Index", quietly = TRUE, check_addresses = FALSE)'),
    run = function(seed) {
      set.seed(seed)
      specs <- list(
        Weights = list(Address = "$Log$Aggregate$w", Distribution = noisy(1:3, N_UA), Type = "discrete"),
        Normalisation = list(Address = "$Log$Normalise$global_specs", Type = "discrete",
          Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(0, 100))),
                              list(f_n = "n_prank"),
                              list(f_n = "n_zscore", f_n_para = list(c(0, 1))))))
      get_sensitivity(coin, SA_specs = specs, N = N_UA, SA_type = "UA", dset = "Aggregated",
                      iCode = "Index", quietly = TRUE, check_addresses = FALSE)
    }),
  ua_agg = list(
    N = N_UA, builds = N_UA,
    spec = c('set.seed(seed); w_sets <- get_noisy_weights(w = coin$Meta$Weights$Original, noise_specs = data.frame(Level = c(1,2,3), NoiseFactor = c(0.25,0.25,0.25)), Nrep = %N%)',
             'SA_specs <- list(Weights = list(Address = "$Log$Aggregate$w", Distribution = w_sets, Type = "discrete"),',
             '  Normalisation = list(Address = "$Log$Normalise$global_specs", Type = "discrete", Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(1,100))), list(f_n = "n_zscore", f_n_para = list(c(10,2))))),',
             '  Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"), Type = "discrete"))',
             'get_sensitivity(coin, SA_specs = SA_specs, N = %N%, SA_type = "UA", dset = "Aggregated", iCode = "Index", quietly = TRUE, check_addresses = FALSE)'),
    run = function(seed) {
      set.seed(seed)
      specs <- list(
        Weights = list(Address = "$Log$Aggregate$w", Distribution = noisy(1:3, N_UA), Type = "discrete"),
        Normalisation = list(Address = "$Log$Normalise$global_specs", Type = "discrete",
          Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(1, 100))),
                              list(f_n = "n_zscore", f_n_para = list(c(10, 2))))),
        Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"),
                           Type = "discrete"))
      get_sensitivity(coin, SA_specs = specs, N = N_UA, SA_type = "UA", dset = "Aggregated",
                      iCode = "Index", quietly = TRUE, check_addresses = FALSE)
    }),
  sa = list(
    N = N_SA, builds = N_SA * 6,
    spec = c('set.seed(seed); w_sets <- get_noisy_weights(w = coin$Meta$Weights$Original, noise_specs = data.frame(Level = c(2,3), NoiseFactor = c(0.25,0.25)), Nrep = %N%)',
             'SA_specs <- list(Winmax = list(Address = "$Log$Treat$global_specs$f1_para$winmax", Distribution = 1:5, Type = "discrete"),',
             '  Normalisation = list(Address = "$Log$Normalise$global_specs", Type = "discrete", Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(1,100))), list(f_n = "n_zscore", f_n_para = list(c(10,2))))),',
             '  Weights = list(Address = "$Log$Aggregate$w", Distribution = w_sets, Type = "discrete"),',
             '  Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"), Type = "discrete"))',
             'get_sensitivity(coin, SA_specs = SA_specs, N = %N%, SA_type = "SA", dset = "Aggregated", iCode = "Index", Nboot = 100, quietly = TRUE, check_addresses = FALSE)'),
    run = function(seed) {
      set.seed(seed)
      specs <- list(
        Winmax = list(Address = "$Log$Treat$global_specs$f1_para$winmax", Distribution = 1:5,
                      Type = "discrete"),
        Normalisation = list(Address = "$Log$Normalise$global_specs", Type = "discrete",
          Distribution = list(list(f_n = "n_minmax", f_n_para = list(c(1, 100))),
                              list(f_n = "n_zscore", f_n_para = list(c(10, 2))))),
        Weights = list(Address = "$Log$Aggregate$w", Distribution = noisy(2:3, N_SA), Type = "discrete"),
        Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"),
                           Type = "discrete"))
      get_sensitivity(coin, SA_specs = specs, N = N_SA, SA_type = "SA", dset = "Aggregated",
                      iCode = "Index", Nboot = 100, quietly = TRUE, check_addresses = FALSE)
    })
)

tasks <- strsplit(Sys.getenv("TASKS", "build,ua,ua_agg,sa"), ",")[[1]]
load1 <- function() as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1])
rows <- list(); spec_lines <- character(0); first <- list()

if ("build" %in% tasks) {
  el <- cpu <- ld <- numeric(3)
  for (s in 1:3) {
    ld[s] <- load1()
    t <- system.time(for (i in 1:10) build_example_coin(quietly = TRUE))
    el[s] <- t[["elapsed"]] / 10; cpu[s] <- (t[["user.self"]] + t[["sys.self"]]) / 10
  }
  rows$build <- data.frame(task = "build", N = 1, builds = 1, run1_s = el[1], run2_s = el[2],
    run3_s = el[3], median_elapsed_s = median(el), median_cpu_s = median(cpu),
    ms_per_build = 1000 * median(el), cpu_ms_per_build = 1000 * median(cpu), failed_builds = 0, load1_min = min(ld), load1_max = max(ld))
  spec_lines <- c(spec_lines, "build: build_example_coin(quietly = TRUE), timed as 10 builds per run; the run columns are per build")
}

for (task in intersect(c("ua", "ua_agg", "sa"), tasks)) {
  d <- designs[[task]]
  el <- cpu <- ld <- nfail <- numeric(3)
  for (s in 1:3) {
    ld[s] <- load1()
    res <- NULL
    t <- system.time(res <- d$run(s))
    el[s] <- t[["elapsed"]]; cpu[s] <- t[["user.self"]] + t[["sys.self"]]
    sc <- res$Scores[names(res$Scores) %nin% c("uCode", "Nominal")]
    nfail[s] <- sum(vapply(sc, function(v) all(is.na(v)), logical(1)))
    message(sprintf("%s seed %d: %.1f s elapsed, %.1f s cpu, %d failed builds", task, s, el[s], cpu[s], nfail[s]))
    if (s == 1) first[[task]] <- res
  }
  rows[[task]] <- data.frame(task = task, N = d$N, builds = d$builds, run1_s = el[1], run2_s = el[2],
    run3_s = el[3], median_elapsed_s = median(el), median_cpu_s = median(cpu),
    ms_per_build = 1000 * median(el) / d$builds, cpu_ms_per_build = 1000 * median(cpu) / d$builds,
    failed_builds = max(nfail),
    load1_min = min(ld), load1_max = max(ld))
  spec_lines <- c(spec_lines, sprintf("%s (run i uses seed i; only get_sensitivity() is inside system.time):", task),
                  paste0("  ", gsub("%N%", d$N, d$spec, fixed = TRUE)))
}

tab <- do.call(rbind, rows)
# seconds to the millisecond (system.time's resolution), per-build figures to 0.01 ms
secs <- c("run1_s", "run2_s", "run3_s", "median_elapsed_s", "median_cpu_s")
tab[secs] <- lapply(tab[secs], round, 3)
tab[c("ms_per_build", "cpu_ms_per_build")] <- lapply(tab[c("ms_per_build", "cpu_ms_per_build")], round, 2)
common_calls <- c('coin <- build_example_coin(quietly = TRUE)  (the worked example: denominate, impute, screen, treat, normalise min-max, arithmetic mean)',
                  'each run: t <- system.time(<call>); elapsed = t[["elapsed"]], cpu = user.self + sys.self; medians over the 3 runs')
write_fixture(tab, "timings.csv", digits = 15,
  calls = c(common_calls, spec_lines),
  notes = c(sprintf("machine: %d cores (%s), shared with other builds; R run under nice -n 19; load1_* = 1-minute load average sampled before each run",
                    parallel::detectCores(), sub("model name\t: ", "", grep("model name", readLines("/proc/cpuinfo"), value = TRUE)[1])),
            "builds = coin regenerations (UA: N; SA: N(d+2)); ms_per_build = 1000 * median_elapsed_s / builds, cpu_ms_per_build likewise from median_cpu_s (less sensitive to other load); failed_builds = replications where Regen failed (max over runs)",
            "numbers are format(x, digits = 15) of the rounded values",
            "get_noisy_weights(): w + (2U - 1) * 0.25 * w, i.e. w x U(0.75, 1.25), drawn once per weight set; the weight set is then a discrete choice among the sets"))

if (!is.null(first$sa)) {
  si <- first$sa$Sensitivity
  write_fixture(si, "example_sobol.csv",
    calls = c(common_calls[1], gsub("%N%", N_SA, designs$sa$spec, fixed = TRUE),
              "result$Sensitivity of the run with seed = 1"),
    notes = c("target: mean absolute rank change of the Index against the nominal ranks, per replication (COINr's SA target)",
              "Si / STi: first-order / total Sobol indices (COINr's SA_estimate); *_q5 / *_q95: 5th / 95th percentiles over Nboot = 100 bootstrap resamples",
              sprintf("failed builds in this run: %d",
                      sum(vapply(first$sa$Scores[names(first$sa$Scores) %nin% c("uCode", "Nominal")],
                                 function(v) all(is.na(v)), logical(1)))),
              "numbers are format(x, digits = 17)"))
}
if (!is.null(first$ua)) {
  rs <- first$ua$RankStats
  rs <- rs[order(rs$Nominal), ]
  write_fixture(rs, "example_ua_ranks.csv",
    calls = c(common_calls[1], gsub("%N%", N_UA, designs$ua$spec, fixed = TRUE),
              "result$RankStats of the run with seed = 1"),
    notes = c("ranks: rank(-score, ties.method = \"min\") per replication; Mean / Median / Q5 / Q95 over the N replications (stats::quantile type 7)",
              "rows sorted by nominal rank; numbers are format(x, digits = 17)"))
}
