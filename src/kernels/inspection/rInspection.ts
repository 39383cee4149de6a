import type { InspectionRequest } from './inspectionProtocol';

/**
 * The R half of the inspection protocol (`inspectionProtocol`). IRkernel answers no user expressions, so the
 * snippet runs as silent code inside `local()` (nothing is left in the global environment, the execution count
 * stays) and publishes its answer as a display of our own mime type, which only the caller's request receives.
 * Big values are summarized here: a data.frame is listed from its dimensions and names.
 */
const R_SOURCE = String.raw`
local({
  max_entries <- 500L
  max_chars <- 200L
  cut <- function(text) {
    text <- gsub("\n", " ", paste(text, collapse = " "), fixed = TRUE)
    if (is.na(text)) text <- "NA"
    if (nchar(text) > max_chars) paste0(substr(text, 1L, max_chars - 1L), "\u2026") else text
  }
  is_table <- function(v) is.data.frame(v) || is.matrix(v)
  short <- function(v) {
    if (is.data.frame(v)) {
      return(sprintf("%d obs. of %d variables: %s", nrow(v), ncol(v), paste(head(names(v), 20L), collapse = ", ")))
    }
    if (is.environment(v)) return("<environment>")
    if (is.function(v)) return(cut(deparse(args(v))[1L]))
    if (is.list(v)) return(cut(vapply(head(v, 20L), function(x) class(x)[1L], "")))
    if (is.atomic(v)) return(cut(tryCatch(format(head(v, 20L)), error = function(e) class(v)[1L])))
    cut(class(v)[1L])
  }
  describe <- function(name, v, step) {
    d <- dim(v)
    size <- if (!is.null(d)) paste0("(", paste(d, collapse = ", "), ")") else if (is.atomic(v) || is.list(v)) as.character(length(v)) else ""
    entry <- list(
      name = cut(name), type = class(v)[1L], size = size, value = short(v),
      expandable = (is.list(v) && length(v) > 0L) || (is.environment(v) && length(ls(v)) > 0L), step = step
    )
    if (is.data.frame(v)) entry$table <- "data.frame" else if (is.matrix(v)) entry$table <- "matrix"
    entry
  }
  resolve <- function(path) {
    v <- NULL
    for (k in seq_along(path)) {
      step <- path[[k]]
      if (k == 1L) {
        if (is.null(step$a) || !exists(step$a, envir = .GlobalEnv, inherits = FALSE)) stop(paste(step$a, "is no longer defined"))
        v <- get(step$a, envir = .GlobalEnv, inherits = FALSE)
      } else if (!is.null(step$a)) {
        v <- get(step$a, envir = v, inherits = FALSE)
      } else {
        v <- v[[step$i + 1L]]
      }
    }
    v
  }
  children <- function(v) {
    if (is.environment(v)) {
      names <- ls(v)
      return(lapply(names, function(n) list(n, get(n, envir = v), list(a = n))))
    }
    names <- names(v)
    lapply(seq_len(min(length(v), max_entries)), function(i) {
      n <- if (!is.null(names) && nzchar(names[[i]])) names[[i]] else paste0("[[", i, "]]")
      list(n, v[[i]], list(i = i - 1L))
    })
  }
  list_vars <- function(path) {
    if (length(path) == 0L) {
      names <- ls(envir = .GlobalEnv)
      total <- length(names)
      items <- lapply(head(names, max_entries), function(n) list(n, get(n, envir = .GlobalEnv), list(a = n)))
    } else {
      v <- resolve(path)
      total <- length(if (is.environment(v)) ls(v) else v)
      items <- children(v)
    }
    entries <- lapply(items, function(it) {
      tryCatch(describe(it[[1L]], it[[2L]], it[[3L]]), error = function(e) {
        list(name = cut(it[[1L]]), type = class(it[[2L]])[1L], size = "", value = cut(conditionMessage(e)), expandable = FALSE, step = it[[3L]])
      })
    })
    list(entries = entries, total = total)
  }
  table_page <- function(path, start, count, sort) {
    v <- resolve(path)
    if (!is_table(v)) stop(paste(class(v)[1L], "is not a table"))
    n <- nrow(v)
    start <- max(0L, min(start, n))
    end <- min(n, start + max(0L, count))
    rows <- if (end > start) seq.int(start + 1L, end) else integer(0)
    if (!is.null(sort)) {
      o <- order(v[, sort$column + 1L], decreasing = !isTRUE(sort$ascending), na.last = TRUE)
      rows <- o[rows]
    }
    page <- v[rows, , drop = FALSE]
    cols <- if (is.null(colnames(v))) paste0("V", seq_len(ncol(v))) else colnames(v)
    dtypes <- if (is.data.frame(v)) vapply(v, function(c) class(c)[1L], "") else rep(typeof(v), ncol(v))
    cells <- if (nrow(page) > 0L) as.matrix(format(page)) else matrix(character(0), 0L, ncol(v))
    labels <- rownames(page)
    if (is.null(labels)) labels <- as.character(rows)
    list(
      rowCount = n,
      columns = lapply(seq_along(cols), function(i) list(name = cut(cols[[i]]), dtype = dtypes[[i]])),
      start = start,
      labels = as.list(labels),
      rows = lapply(seq_len(nrow(cells)), function(r) as.list(vapply(cells[r, ], cut, "", USE.NAMES = FALSE)))
    )
  }
  request <- jsonlite::fromJSON(REQUEST_JSON, simplifyVector = FALSE)
  answer <- tryCatch(
    list(ok = if (request$op == "list") list_vars(request$path) else table_page(request$path, request$start, request$count, request$sort)),
    error = function(e) list(error = conditionMessage(e))
  )
  IRdisplay::publish_mimebundle(list("application/vnd.kernel-islands.inspect+json" = as.character(jsonlite::toJSON(answer, auto_unbox = TRUE, null = "null", na = "string"))))
})
`;

/** The mime type the R snippet's answer comes in. */
export const R_ANSWER_MIME = 'application/vnd.kernel-islands.inspect+json';

/** The silent code answering `request` (the request is an R string literal: JSON's escapes are R's too). */
export function rInspectionCode(request: InspectionRequest): string {
  return R_SOURCE.replace('REQUEST_JSON', () => JSON.stringify(JSON.stringify(request)));
}
