// Placeholder until the engine layer lands; removed when it does.
