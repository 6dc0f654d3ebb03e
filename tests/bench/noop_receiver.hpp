#pragma once

#include <string>

#include "oex/signal/signal.hpp"

namespace oex::bench {

// A receiver that does nothing and answers nothing: what the dispatch benchmarks send to.
class NoopReceiver : public Receiver
{
public:
  const std::string& name() const override { return m_name; }
  ReceiverOutcome receive(const SignalEvent&) override { return ReceiverOutcome::none(); }

private:
  std::string m_name = "noop";
};

} // namespace oex::bench
