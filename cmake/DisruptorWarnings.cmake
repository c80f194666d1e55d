# Warnings stay PRIVATE to each of our targets: consumers choose their own.
function(disruptor_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(DISRUPTOR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
