# Runs the exchange once and checks what it printed and wrote; the exchange's
# tests call it as
#   cmake -DEXCHANGE=<program> -DOUT=<dir> -DARGS="<options>" [-DINPUT=<stdin file>]
#         [-DORDERS=<count>] [-DPROGRESS=ON] [-DTRADES=<expected trades file>]
#         [-DFAILURE=<regex>] -P check_run.cmake
# A normal run must exit 0 and print the threads, the final lines (throughput,
# latency percentiles, trades, journal and replica holding all ORDERS orders)
# and a well-formed DOT file; PROGRESS=ON also wants a progress line, TRADES the
# trades written by --trades-out to equal that file. FAILURE makes it a run
# that must fail instead: non-zero exit status, and FAILURE on stderr.

foreach(required EXCHANGE OUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "check_run.cmake needs -D${required}=...")
  endif()
endforeach()

separate_arguments(args UNIX_COMMAND "${ARGS}")
file(REMOVE_RECURSE "${OUT}")  # so that a DOT or trades file from an earlier run cannot pass
file(MAKE_DIRECTORY "${OUT}")
list(APPEND args --out "${OUT}")
if(DEFINED TRADES)
  list(APPEND args --trades-out "${OUT}/trades.txt")
endif()
set(input)
if(DEFINED INPUT)
  set(input INPUT_FILE "${INPUT}")
endif()

execute_process(COMMAND "${EXCHANGE}" ${args} ${input}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")  # shown by ctest --output-on-failure

set(problems "")
function(problem what)
  set(problems "${problems}\n  ${what}" PARENT_SCOPE)
endfunction()
function(expect text regex what)
  if(NOT text MATCHES "${regex}")
    set(problems "${problems}\n  ${what} (no match for: ${regex})" PARENT_SCOPE)
  endif()
endfunction()

if(DEFINED FAILURE)
  if(status EQUAL 0)
    problem("exit status 0, but this run must fail")
  endif()
  expect("${err}" "${FAILURE}" "stderr does not say what failed")
else()
  if(NOT status EQUAL 0)
    problem("exit status ${status}")
  endif()
  expect("${err}" "threads, as top -H -p [0-9]+ shows them: .*exch-journaller" "no journaller thread")
  expect("${err}" "threads, as top -H -p [0-9]+ shows them: .*exch-replicator" "no replicator thread")
  expect("${err}" "threads, as top -H -p [0-9]+ shows them: .*exch-matcher" "no matcher thread")
  if(PROGRESS)
    expect("${err}" "exch cursor=[0-9]+ \\| journaller seq=-?[0-9]+ backlog=[0-9]+ \\| replicator seq=-?[0-9]+ backlog=[0-9]+ \\| matcher seq=-?[0-9]+ backlog=[0-9]+"
           "no progress line")
  endif()
  set(n "[0-9]+")
  if(DEFINED ORDERS)
    set(n "${ORDERS}")
  endif()
  set(us "[0-9]+\\.[0-9]")
  expect("${out}" "exchange: ${n} orders in [0-9.]+ s: [0-9]+ orders/s" "no throughput line")
  expect("${out}" "latency publish->matched \\(us\\): p50 ${us}  p90 ${us}  p99 ${us}  p99\\.9 ${us}  max ${us}"
         "no latency percentiles")
  expect("${out}" "trades matched: [0-9]+ \\(volume [0-9]+\\); resting: [0-9]+ bids, [0-9]+ asks" "no trades line")
  expect("${out}" "journal [^\n]*: holds all ${n} orders, in order" "the journal check did not pass")
  expect("${out}" "replica: holds all ${n} orders, in order" "the replica check did not pass")
  expect("${out}" "topology: [^\n]*exchange\\.dot" "no topology line")

  # The diamond: journaller and replicator after the producers, the matcher after both.
  set(dotFile "${OUT}/exchange.dot")
  if(NOT EXISTS "${dotFile}")
    problem("no ${dotFile}")
  else()
    file(READ "${dotFile}" dot)
    expect("${dot}" "^digraph [^{\n]*{" "${dotFile} does not open a digraph")
    expect("${dot}" "}[ \n]*$" "${dotFile} does not close its digraph")
    foreach(handler journaller replicator matcher)
      if(NOT dot MATCHES "(n[0-9]+) \\[label=\"${handler}")
        problem("${dotFile} has no node for ${handler}")
      endif()
      set(node_${handler} "${CMAKE_MATCH_1}")
    endforeach()
    foreach(edge "producers -> ${node_journaller};" "producers -> ${node_replicator};"
                 "${node_journaller} -> ${node_matcher};" "${node_replicator} -> ${node_matcher};")
      string(FIND "${dot}" "${edge}" at)
      if(at EQUAL -1)
        problem("${dotFile} has no edge ${edge}")
      endif()
    endforeach()
  endif()

  if(DEFINED TRADES)
    file(READ "${TRADES}" expected)
    if(NOT EXISTS "${OUT}/trades.txt")
      problem("no trades written to ${OUT}/trades.txt")
    else()
      file(READ "${OUT}/trades.txt" trades)
      if(NOT trades STREQUAL expected)
        problem("trades differ from ${TRADES}:\n${trades}")
      endif()
    endif()
  endif()
endif()

if(NOT problems STREQUAL "")
  message(FATAL_ERROR "exchange ${ARGS}:${problems}")
endif()
