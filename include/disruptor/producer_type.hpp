// ProducerType: whether one thread or many publish to a ring.
#pragma once

namespace disruptor {

/// Which sequencer a ring buffer uses.
enum class ProducerType {
  Single,  ///< one publishing thread: claims need no atomic read-modify-write
  Multi,   ///< any number of publishing threads: claims by atomic add, per-slot availability
};

}  // namespace disruptor
