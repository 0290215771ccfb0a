"""Chapter 3's judging helpers: references and comparisons its public and hidden checks share
(judge side: nothing here runs next to student code)."""
