"""A short made-up news story, shared by the tests that need article paragraphs to keep."""

from __future__ import annotations

BUDGET_STORY = [
    "The city council voted on Tuesday to approve a budget that raises spending on schools and roads.",
    "Council members debated the plan for four hours before the final vote was taken late at night.",
    "The mayor said the new budget would allow the city to hire forty teachers and repair two bridges.",
    "Opponents argued that the increase would force a rise in property taxes within the next two years.",
    "The budget takes effect in July, after a review by the state finance office, officials said.",
    "Schools will receive the first payments in September, the finance office said in a statement.",
    "Road repairs are to start in the spring, beginning with the two bridges over the river.",
]
