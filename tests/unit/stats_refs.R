# SPDX-License-Identifier: MIT
# Regenerates the reference tables of tests/unit/test_stats.c (paste the output
# over the tables).  Run: Rscript tests/unit/stats_refs.R

f <- function(v) sprintf("%.17g", v)
emit <- function(args, expr) {
  v <- eval(parse(text = expr))
  cat(sprintf("    {%s, %s}, /* %s */\n", args, f(v), expr))
}
cat("static const struct ref4 binom_refs[] = {\n")
for (e in list(c(0,59,0.05), c(1,93,0.05), c(2,124,0.05), c(3,100,0.03), c(0,1,0.5),
               c(5,1000,0.02), c(40,1000,0.02), c(150,1000000,1e-4), c(9990,10000,0.999), c(0,100000,1e-3)))
  emit(sprintf("%s, %s, %s, 0", e[1], e[2], f(e[3])), sprintf("pbinom(%s, %s, %s)", e[1], e[2], e[3]))
cat("};\nstatic const struct ref4 pois_refs[] = {\n")
for (e in list(c(0,2.9957322735539909), c(1,4.7438645382101872), c(10,3.5), c(3,0.001), c(1000,1100), c(1100,1000), c(0,700), c(50,50)))
  emit(sprintf("%s, %s, 0, 0", e[1], f(e[2])), sprintf("ppois(%s, %s)", e[1], f(e[2])))
cat("};\n/* {k, N, K, n}: phyper(k, K, N - K, n) */\nstatic const struct ref4h hyper_refs[] = {\n")
for (e in list(c(0,1000,50,57), c(3,1000,100,100), c(95,1000,100,100), c(10,100000,5000,1000), c(0,10,3,5), c(2,10,3,5), c(1,60,30,3), c(499,1000000,50000,10000)))
  emit(sprintf("%s, %s, %s, %s", e[1], e[2], e[3], e[4]), sprintf("phyper(%s, %s, %s, %s)", e[1], e[3], e[2]-e[3], e[4]))
cat("};\nstatic const struct ref4 qbeta_refs[] = {\n")
for (e in list(c(0.975,3,98), c(0.025,1,100), c(1e-10,2,5), c(0.95,1,59), c(0.5,1000,2000), c(0.999999,5,1000000), c(0.05,3,98), c(0.99,124,2)))
  emit(sprintf("%s, %s, %s, 0", f(e[1]), e[2], e[3]), sprintf("qbeta(%s, %s, %s)", e[1], e[2], e[3]))
cat("};\nstatic const struct ref4 qgamma_refs[] = {\n")
for (e in list(c(0.95,1), c(0.95,3), c(0.05,10), c(0.999,100), c(1e-12,4), c(0.5,1e6), c(0.9,1)))
  emit(sprintf("%s, %s, 0, 0", f(e[1]), e[2]), sprintf("qgamma(%s, %s)", e[1], e[2]))
cat("};\nstatic const struct ref4 qnorm_refs[] = {\n")
for (e in c("0.975", "0.025", "0.3", "0.95", "0.999", "1e-10", "1e-100", "1e-300", "0.9999999", "0.42", "0.575"))
  emit(sprintf("%s, 0, 0, 0", e), sprintf("qnorm(%s)", e))
cat("};\n/* {k, n, conf}: binom.test(k, n, conf.level = conf)$conf.int */\nstatic const struct ref5 cp_refs[] = {\n")
for (e in list(c(0,10,0.95), c(10,10,0.95), c(3,100,0.95), c(1,1,0.95), c(0,1000000,0.95), c(5000,1000000,0.95), c(7,59,0.99), c(2,30,0.9), c(29,30,0.9)))
  cat(sprintf("    {%s, %s, %s, %s, %s}, /* binom.test(%s, %s, conf.level = %s)$conf.int */\n", e[1], e[2], f(e[3]),
      f(binom.test(e[1], e[2], conf.level = e[3])$conf.int[1]), f(binom.test(e[1], e[2], conf.level = e[3])$conf.int[2]), e[1], e[2], e[3]))
cat("};\n/* Wilson score interval, no continuity correction:\n * w(k, n, c) = (k/n + z^2/(2n) + c(-1, 1) z sqrt(k/n (1 - k/n)/n + z^2/(4 n^2))) / (1 + z^2/n), z = qnorm(1 - (1-c)/2)\n * (prop.test(k, n, conf.level = c, correct = FALSE)$conf.int gives the same) */\nstatic const struct ref5 wilson_refs[] = {\n")
w <- function(k, n, c) { z <- qnorm(1-(1-c)/2); p <- k/n; (p + z^2/(2*n) + c(-1,1)*z*sqrt(p*(1-p)/n + z^2/(4*n^2)))/(1+z^2/n) }
for (e in list(c(0,10,0.95), c(10,10,0.95), c(3,100,0.95), c(1,1,0.95), c(0,1000000,0.95), c(5000,1000000,0.95), c(7,59,0.99), c(1,30,0.9)))
  { pt <- prop.test(e[1], e[2], conf.level = e[3], correct = FALSE)$conf.int
    cat(sprintf("    {%s, %s, %s, %s, %s}, /* prop.test(%s, %s, conf.level = %s, correct = FALSE)$conf.int */\n", e[1], e[2], f(e[3]), f(pt[1]), f(pt[2]), e[1], e[2], e[3])) }
cat("};\n/* {k, n, conf}: one-sided upper qbeta(conf, k+1, n-k), lower qbeta(1-conf, k, n-k+1) */\nstatic const struct ref5 onesided_refs[] = {\n")
for (e in list(c(0,59,0.95), c(1,93,0.95), c(2,124,0.95), c(3,100,0.95), c(12,400,0.9), c(0,3000,0.99)))
  cat(sprintf("    {%s, %s, %s, %s, %s}, /* qbeta(%s, %s, %s), %s */\n", e[1], e[2], f(e[3]), f(qbeta(e[3], e[1]+1, e[2]-e[1])),
      f(if (e[1] == 0) 0 else qbeta(1-e[3], e[1], e[2]-e[1]+1)), e[3], e[1]+1, e[2]-e[1], if (e[1]==0) "0" else sprintf("qbeta(%s, %s, %s)", 1-e[3], e[1], e[2]-e[1]+1)))
cat("};\n/* {k, n, N, conf}: exact hypergeometric bounds on the deviations in N,\n * upper = max(K : phyper(k, K, N-K, n) > 1-conf), lower = min(K : phyper(k-1, K, N-K, n, lower.tail = FALSE) > 1-conf) */\nstatic const struct refh hyperb_refs[] = {\n")
for (e in list(c(0,57,1000,0.95), c(3,100,1000,0.95), c(3,100,1000,0.975), c(10,10,10,0.95), c(0,5,5,0.95), c(5,50,200,0.9), c(40,400,100000,0.99), c(1,30,31,0.95)))
  { K <- 0:e[3]; a <- 1-e[4]
    up <- max(K[phyper(e[1], K, e[3]-K, e[2]) > a]); lo <- min(K[phyper(e[1]-1, K, e[3]-K, e[2], lower.tail = FALSE) > a])
    cat(sprintf("    {%s, %s, %s, %s, %d, %d}, /* K <- 0:%s; max(K[phyper(%s, K, %s-K, %s) > %s]); min(K[phyper(%s, K, %s-K, %s, lower.tail = FALSE) > %s]) */\n",
      e[1], e[2], e[3], f(e[4]), up, lo, e[3], e[1], e[3], e[2], a, e[1]-1, e[3], e[2], a)) }
cat("};\n")

# --- planning, by brute force over n
ns <- 1:20000
cat("/* {model, confidence, tolerable, expected errors, expected rate (NULL: count), N, n, allowed}, by brute force in R */\nstatic const struct plan_ref plan_refs[] = {\n")
emit <- function(model, c, T, x, rate, N, expr, allowedexpr) {
  n <- eval(parse(text = expr), envir = new.env()); al <- eval(parse(text = sub("NN", n, allowedexpr)), envir = new.env())
  cat(sprintf("    {PLAN_%s, %s, %s, %s, %s, %s, %d, %d}, /* %s */\n", toupper(model), c, T, x,
      if (is.na(rate)) "NULL" else sprintf("\"%s\"", rate), N, n, al, expr))
}
# binomial: smallest n with qbeta(c, x+1, n-x) < T
for (a in list(c(0.95,0.05,0), c(0.95,0.05,1), c(0.95,0.05,2), c(0.90,0.05,0), c(0.99,0.02,3), c(0.95,0.10,0), c(0.9,0.03,5)))
  emit("binomial", a[1], a[2], a[3], NA, 0, sprintf("n <- 1:20000; min(n[n > %s & qbeta(%s, %s, n - %s) <= %s])", a[3], a[1], a[3]+1, a[3], a[2]), as.character(a[3]))
for (a in list(c(0.95,0.05,0), c(0.95,0.05,1), c(0.99,0.02,3), c(0.9,0.1,2)))
  emit("poisson", a[1], a[2], a[3], NA, 0, sprintf("n <- 1:20000; min(n[qgamma(%s, %s) / n <= %s])", a[1], a[3]+1, a[2]), as.character(a[3]))
for (a in list(c(0.95,0.05,0,1000), c(0.95,0.05,1,1000), c(0.95,0.05,0,100), c(0.9,0.02,2,5000), c(0.99,0.1,0,50), c(0.95,0.035,0,400)))
  emit("hypergeometric", a[1], a[2], a[3], NA, a[4], sprintf("n <- 1:%s; K <- %s; min(n[n > %s & phyper(%s, K, %s - K, n) <= 1 - %s])", a[4], ceiling(a[2]*a[4]-1e-9), a[3], a[3], a[4], a[1]), as.character(a[3]))
# expected rates: x = ceil(r n) exactly (r = num/den)
for (a in list(list(0.9,0.05,"3.5%",7,200), list(0.95,0.065,"3.5%",7,200), list(0.95,0.05,"1%",1,100), list(0.95,0.05,"2%",1,50), list(0.95,0.1,"2.5%",1,40)))
  emit("binomial", a[[1]], a[[2]], 0, a[[3]], 0,
       sprintf("n <- 1:20000; x <- (%d * n + %d) %%/%% %d; min(n[n > x & qbeta(%s, x + 1, pmax(n - x, 1)) <= %s])", a[[4]], a[[5]]-1, a[[5]], a[[1]], a[[2]]),
       sprintf("(%d * NN + %d) %%/%% %d", a[[4]], a[[5]]-1, a[[5]]))
for (a in list(list(0.95,0.05,"1%",1,100)))
  emit("poisson", a[[1]], a[[2]], 0, a[[3]], 0,
       sprintf("n <- 1:20000; x <- (%d * n + %d) %%/%% %d; min(n[qgamma(%s, x + 1) / n <= %s])", a[[4]], a[[5]]-1, a[[5]], a[[1]], a[[2]]),
       sprintf("(%d * NN + %d) %%/%% %d", a[[4]], a[[5]]-1, a[[5]]))
for (a in list(list(0.95,0.05,"1%",1,100,2000), list(0.9,0.05,"3.5%",7,200,400)))
  emit("hypergeometric", a[[1]], a[[2]], 0, a[[3]], a[[6]],
       sprintf("n <- 1:%d; x <- (%d * n + %d) %%/%% %d; K <- %d; min(n[n > x & phyper(x, K, %d - K, n) <= 1 - %s])", a[[6]], a[[4]], a[[5]]-1, a[[5]], ceiling(a[[2]]*a[[6]]-1e-9), a[[6]], a[[1]]),
       sprintf("(%d * NN + %d) %%/%% %d", a[[4]], a[[5]]-1, a[[5]]))
cat("};\n")

# --- estimation and stratified estimates
e <- function(m, c, p, N) {
  expr <- if (N == 0) sprintf("n0 <- qnorm(1 - (1 - %s)/2)^2 * %s * (1 - %s) / %s^2; ceiling(n0)", c, p, p, m)
          else sprintf("n0 <- qnorm(1 - (1 - %s)/2)^2 * %s * (1 - %s) / %s^2; ceiling(n0 / (1 + (n0 - 1) / %s))", c, p, p, m, N)
  v <- eval(parse(text = expr), envir = new.env())
  cat(sprintf("    {%s, %s, %s, %s, %d}, /* %s */\n", m, c, p, N, v, expr))
}
cat("static const struct est_ref est_refs[] = {\n")
e(0.05, 0.95, 0.5, 0); e(0.05, 0.95, 0.5, 2000); e(0.03, 0.9, 0.1, 500); e(0.01, 0.99, 0.5, 0); e(0.02, 0.95, 0.05, 100000); e(0.1, 0.8, 0.3, 20)
cat("};\n")
# stratified
s <- function(N, n, k, c) {
  W <- N/sum(N); p <- k/n
  est <- sum(W*p); se <- sqrt(sum(W^2 * (1 - n/N) * p*(1-p) / ifelse(n > 1, n - 1, 1)))
  z <- qnorm(1-(1-c)/2); z1 <- qnorm(c)
  cat(sprintf("/* N <- c(%s); n <- c(%s); k <- c(%s); W <- N/sum(N); p <- k/n;\n * est <- sum(W*p); se <- sqrt(sum(W^2*(1-n/N)*p*(1-p)/(n-1)));\n * est + c(-1,1)*qnorm(1-(1-%s)/2)*se; est + c(-1,1)*qnorm(%s)*se */\n",
     paste(N, collapse=", "), paste(n, collapse=", "), paste(k, collapse=", "), c, c))
  cat(sprintf("    {%s, %s, %s, %s, %s, %s, %s},\n", sprintf("%.17g", est), sprintf("%.17g", se),
     sprintf("%.17g", max(0, est - z*se)), sprintf("%.17g", min(1, est + z*se)),
     sprintf("%.17g", max(0, est - z1*se)), sprintf("%.17g", min(1, est + z1*se)), c))
}
s(c(1200, 800, 500), c(40, 30, 25), c(2, 1, 3), 0.95)
s(c(10000, 300), c(100, 300), c(12, 30), 0.9)

cat("};\n")

# --- real-parameter incomplete beta and its inverse (pbeta, qbeta), and qt
pars <- c(0.05, 0.5, 1, 2.5, 17.3, 1000, 1e5)
cat("/* {a, b, p, x = qbeta(p, a, b), pbeta(x, a, b), pbeta(x, a, b, lower.tail = FALSE)}: every a, b in\n * c(0.05, 0.5, 1, 2.5, 17.3, 1000, 1e5) and p in c(1e-10, 0.01, 0.3, 0.5, 0.9, 0.999999) where x is in\n * (1e-300, 1 - 1e-12) and R's own pbeta(qbeta(p)) returns p to 1e-10 */\nstatic const struct beta_ref beta_refs[] = {\n")
for (a in pars) for (b in pars) for (p in c(1e-10, 0.01, 0.3, 0.5, 0.9, 0.999999)) {
  x <- qbeta(p, a, b)
  if (!(x > 1e-300 && x < 1 - 1e-12)) next
  if (abs(pbeta(x, a, b) - p) > 1e-10 * p) next
  cat(sprintf("    {%s, %s, %s, %s, %s, %s},\n", f(a), f(b), f(p), f(x), f(pbeta(x, a, b)), f(pbeta(x, a, b, lower.tail = FALSE))))
}
cat("};\nstatic const struct ref4 qt_refs[] = {\n")
for (df in c(1, 2.5, 7, 33, 199, 1e4)) for (p in c(0.9, 0.95, 0.99, 0.999, 0.025))
  cat(sprintf("    {%s, %s, 0, 0, %s}, /* qt(%s, %s) */\n", f(p), f(df), f(qt(p, df)), p, df))
cat("};\n")

# --- stratified bounds: Korn & Graubard (1998), as documented in docs/sampling.md:
# n* = min(n, p(1-p)/v) (n when v = 0), times (qt(c, n-1)/qt(c, n-H))^2 when n > H > 1;
# x* = p n*; upper qbeta(c, x*+1, n*-x*), lower qbeta(1-c, x*, n*-x*+1)
kg <- function(N, n, k, c) {
  W <- N/sum(N); p <- k/n; est <- sum(W*p)
  v <- sum(ifelse(n < N, W^2*(1-n/N)*p*(1-p)/pmax(n-1, 1), 0))
  nt <- sum(n); H <- length(N)
  neff <- if (est > 0 && est < 1 && v > 0) min(nt, est*(1-est)/v) else nt
  if (nt > H && H > 1) neff <- neff * (qt(c, nt-1)/qt(c, nt-H))^2
  x <- est*neff
  up <- if (est >= 1) 1 else qbeta(c, x+1, neff-x)
  lo <- if (est <= 0) 0 else qbeta(1-c, x, neff-x+1)
  cat(sprintf("    /* N <- c(%s); n <- c(%s); k <- c(%s); c = %s */\n    {%s, %s, %s, %s, %s},\n",
      paste(N, collapse=", "), paste(n, collapse=", "), paste(k, collapse=", "), c,
      f(est), f(neff), f(lo), f(up), f(c)))
}
cat("/* {estimate, n*, lower, upper, conf} */\nstatic const struct kg_ref kg_refs[] = {\n")
kg(c(1000, 500), c(20, 15), c(0, 0), 0.95)
kg(c(10000, 10000), c(100, 100), c(1, 0), 0.95)
kg(c(1200, 800, 500), c(40, 30, 25), c(2, 1, 3), 0.95)
kg(c(10000, 300), c(100, 300), c(12, 30), 0.9)
kg(c(5000, 200), c(50, 20), c(5, 0), 0.99)
kg(c(100, 50), c(10, 5), c(10, 5), 0.95)
kg(c(2000, 2000, 500, 40), c(60, 30, 30, 40), c(1, 4, 0, 2), 0.95)
cat("};\n")
# Cross-check (on stderr) with the survey package's Korn-Graubard interval,
# svyciprop(method = "beta"), one-sided at c = two-sided at 2c - 1.  It does
# not cap n* at n, so it is compared where the cap does not bind (the 3 designs
# below agree to 15 digits; Debian: r-cran-survey).
if (requireNamespace("survey", quietly = TRUE)) {
  svy <- function(N, n, k, c) {
    d <- do.call(rbind, lapply(seq_along(N), function(h)
      data.frame(h = h, y = c(rep(1, k[h]), rep(0, n[h] - k[h])), fpc = N[h])))
    des <- survey::svydesign(ids = ~1, strata = ~h, fpc = ~fpc, data = d)
    ci <- attr(survey::svyciprop(~y, des, method = "beta", level = 2 * c - 1), "ci")
    message(sprintf("survey::svyciprop beta: lower %.15g upper %.15g", ci[1], ci[2]))
  }
  svy(c(10000, 300), c(100, 300), c(12, 30), 0.9)
  svy(c(5000, 200), c(50, 20), c(5, 0), 0.99)
  svy(c(2000, 2000, 500, 40), c(60, 30, 30, 40), c(1, 4, 0, 2), 0.95)
}

# --- Bayesian evaluation and planning with a beta prior
dbb <- function(y, M, a, b) exp(lchoose(M, y) + lbeta(y + a, M - y + b) - lbeta(a, b))
bbcdf <- function(y, M, a, b) if (y < 0) 0 else sum(dbb(0:min(y, M), M, a, b))
bbsf <- function(y, M, a, b) if (y > M) 0 else sum(dbb(max(y, 0):M, M, a, b))   # P(Y >= y)
mode_beta <- function(a, b) if (a > 1 && b > 1) (a - 1)/(a + b - 2) else if (a <= 1 && b > 1) 0 else if (b <= 1 && a > 1) 1 else NaN
cat("/* {prior a, b, k, n, N, conf, T, post a, b, mode, upper, upper_dev, p_below, p_above, prior_below, prior_above, Bayes factor}\n * without N: posterior Beta(a + k, b + n - k): qbeta, pbeta; with N: the deviations are k + Y, Y ~ beta-binomial(N - n, a + k, b + n - k),\n * prior beta-binomial(N, a, b), dbb(y) = exp(lchoose(M, y) + lbeta(y + a, M - y + b) - lbeta(a, b)) summed; T N whole */\nstatic const struct bayes_ref bayes_refs[] = {\n")
ev <- function(a0, b0, k, n, N, c, T) {
  a <- a0 + k; b <- b0 + n - k
  if (N == 0) {
    mode <- mode_beta(a, b); up <- qbeta(c, a, b); ud <- 0
    pb <- pbeta(T, a, b); pa <- pbeta(T, a, b, lower.tail = FALSE)
    qb <- pbeta(T, a0, b0); qa <- pbeta(T, a0, b0, lower.tail = FALSE)
  } else {
    M <- N - n; kc <- ceiling(round(T * N, 9))
    p <- dbb(0:M, M, a, b); cdf <- cumsum(p)
    y <- min(which(cdf >= c)) - 1
    stopifnot(abs(cdf[y + 1] - c) > 1e-9, y == 0 || abs(cdf[y] - c) > 1e-9)  # no near tie
    ud <- k + y; up <- ud / N
    mode <- (k + (which.max(p) - 1)) / N
    pb <- bbcdf(kc - 1 - k, M, a, b); pa <- bbsf(kc - k, M, a, b)
    qb <- bbcdf(kc - 1, N, a0, b0); qa <- bbsf(kc, N, a0, b0)
  }
  cat(sprintf("    {%s, %s, %d, %d, %d, %s, %s, %s, %s, %s, %s, %d, %s, %s, %s, %s, %s},\n",
      f(a0), f(b0), k, n, N, f(c), f(T), f(a), f(b), f(mode), f(up), ud, f(pb), f(pa), f(qb), f(qa), f((pb / pa) / (qb / qa))))
}
for (pr in list(c(1, 1), c(3, 59), c(0.5, 0.5), c(2.5, 40.2))) {
  ev(pr[1], pr[2], 0, 58, 0, 0.95, 0.05); ev(pr[1], pr[2], 1, 93, 0, 0.95, 0.05)
  ev(pr[1], pr[2], 3, 100, 0, 0.9, 0.05); ev(pr[1], pr[2], 4, 30, 0, 0.95, 0.1)
  ev(pr[1], pr[2], 0, 58, 1000, 0.95, 0.05); ev(pr[1], pr[2], 2, 120, 1000, 0.95, 0.05)
  ev(pr[1], pr[2], 3, 50, 400, 0.9, 0.035)
}
cat("};\n/* {prior a, b, x, N, conf, T, n}: the smallest n > x whose posterior upper bound with x deviations is within T:\n * without N  min(n[pbeta(T, a + x, b + n - x, lower.tail = FALSE) <= 1 - conf]);\n * with N     the first n with P(Y >= ceiling(T N) - x) <= 1 - conf, Y ~ beta-binomial(N - n, a + x, b + n - x)\n * (each checked to be at least 1e-9 relative away from a tie, at n and n - 1) */\nstatic const struct bayes_plan_ref bayes_plan_refs[] = {\n")
pl <- function(a0, b0, x, N, c, T) {
  al <- 1 - c
  crit <- function(n) if (N == 0) pbeta(T, a0 + x, b0 + n - x, lower.tail = FALSE) else bbsf(ceiling(round(T * N, 9)) - x, N - n, a0 + x, b0 + n - x)
  n <- x + 1
  while (crit(n) > al) n <- n + 1
  stopifnot(abs(crit(n) - al) > 1e-9 * al, n == x + 1 || abs(crit(n - 1) - al) > 1e-9 * al)
  cat(sprintf("    {%s, %s, %d, %d, %s, %s, %d},\n", f(a0), f(b0), x, N, f(c), f(T), n))
}
for (pr in list(c(1, 1), c(3, 59), c(0.5, 0.5), c(2.5, 40.2), c(1, 20))) {
  pl(pr[1], pr[2], 0, 0, 0.95, 0.05); pl(pr[1], pr[2], 1, 0, 0.95, 0.05); pl(pr[1], pr[2], 2, 0, 0.9, 0.03)
  pl(pr[1], pr[2], 0, 1000, 0.95, 0.05); pl(pr[1], pr[2], 1, 1000, 0.95, 0.05); pl(pr[1], pr[2], 2, 400, 0.9, 0.035)
}
cat("};\n")
