// Placeholder until the executor layer lands; removed when it does.
