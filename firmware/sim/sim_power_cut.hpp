// Power cuts for tests: with POSAGENT_SIM_CUT_AT=N in the environment the
// process dies (_exit, nothing flushed or cleaned up, like a power cut) at
// the Nth cut point. Cut points are every journal write (before and after
// it) and every network connect, send (before and after) and receive
// (before). N=0 only counts, listing each point as it passes ("cut point 7:
// before send") and the count at exit, so a test can first count a flow's
// points and then cut at each.
#pragma once

#include <cstdint>

#include "hal/network.hpp"
#include "hal/storage.hpp"

namespace posagent::sim {

inline constexpr int kPowerCutExit = 86;

class PowerCut {
 public:
  // Reads POSAGENT_SIM_CUT_AT; disabled when unset.
  PowerCut();
  bool enabled() const { return cut_at_ >= 0; }
  long count() const { return count_; }
  // One cut point: counts it, and dies here if it is the one.
  void point(const char* what);

 private:
  long cut_at_ = -1;
  long count_ = 0;
};

class CutStorage final : public hal::Storage {
 public:
  CutStorage(hal::Storage& inner, PowerCut& cut) : inner_(inner), cut_(cut) {}
  Result<std::size_t> read(hal::RecordId id, std::span<std::uint8_t> buffer) override {
    return inner_.read(id, buffer);
  }
  Status replace(hal::RecordId id, std::span<const std::uint8_t> contents) override {
    cut_.point("before journal write");
    const Status s = inner_.replace(id, contents);
    cut_.point("after journal write");
    return s;
  }
  Status erase(hal::RecordId id) override { return inner_.erase(id); }

 private:
  hal::Storage& inner_;
  PowerCut& cut_;
};

class CutNetwork final : public hal::Network {
 public:
  CutNetwork(hal::Network& inner, PowerCut& cut) : inner_(inner), cut_(cut) {}
  Status connect(std::string_view host, std::uint16_t port, hal::Millis deadline) override {
    cut_.point("before connect");
    return inner_.connect(host, port, deadline);
  }
  Result<std::size_t> send(std::span<const std::uint8_t> data, hal::Millis deadline) override {
    cut_.point("before send");
    Result<std::size_t> sent = inner_.send(data, deadline);
    cut_.point("after send");
    return sent;
  }
  Result<std::size_t> recv(std::span<std::uint8_t> buffer, hal::Millis deadline) override {
    cut_.point("before receive");
    return inner_.recv(buffer, deadline);
  }
  void close() override { inner_.close(); }

 private:
  hal::Network& inner_;
  PowerCut& cut_;
};

}  // namespace posagent::sim
