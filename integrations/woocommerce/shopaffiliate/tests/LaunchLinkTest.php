<?php
/**
 * Tests for ShopAffiliate_Launch_Link.
 *
 * @package ShopAffiliate
 */

use PHPUnit\Framework\TestCase;

final class LaunchLinkTest extends TestCase {

	const SECRET = 'test-launch-secret-0123456789abcdef';

	/*
	 * Expected signature computed independently of PHP with:
	 *   printf '%s' 'email=ana%2Bshop%40example.com&nonce=0123456789abcdef&shop=42&ts=1710430082&user=7' \
	 *     | openssl dgst -sha256 -hmac 'test-launch-secret-0123456789abcdef'
	 */
	const VECTOR_CANONICAL = 'email=ana%2Bshop%40example.com&nonce=0123456789abcdef&shop=42&ts=1710430082&user=7';
	const VECTOR_SIG       = '0faf6458b8c219e1446a3ab8b7fbb976aa7117e6cbe29f2f4b3001f1b7d6c247';

	/*
	 * Second vector (UTF-8, space, apostrophe, non-numeric shop id, symbols in the secret), computed with:
	 *   printf '%s' 'email=j%C3%B8rgen%20o%27neil%40example.dk&nonce=fedcba9876543210&shop=shop_A-1&ts=1700000000&user=12' \
	 *     | openssl dgst -sha256 -hmac 'another-secret-with-symbols-!#$%&()*+,-./:;<=>?@'
	 */
	const VECTOR2_CANONICAL = 'email=j%C3%B8rgen%20o%27neil%40example.dk&nonce=fedcba9876543210&shop=shop_A-1&ts=1700000000&user=12';
	const VECTOR2_SECRET    = 'another-secret-with-symbols-!#$%&()*+,-./:;<=>?@';
	const VECTOR2_SIG       = '05296637f1b96c6d31ff096be49384b567972c0d1c204e772852286643656717';

	private function vector_params(): array {
		return ShopAffiliate_Launch_Link::params( '42', 7, 'ana+shop@example.com', 1710430082, '0123456789abcdef' );
	}

	public function test_canonical_sorts_keys_and_rawurlencodes(): void {
		$this->assertSame( self::VECTOR_CANONICAL, ShopAffiliate_Launch_Link::canonical( $this->vector_params() ) );
	}

	public function test_canonical_ignores_sig_and_input_order(): void {
		$params = array_reverse( $this->vector_params(), true );
		$params['sig'] = 'whatever';
		$this->assertSame( self::VECTOR_CANONICAL, ShopAffiliate_Launch_Link::canonical( $params ) );
	}

	public function test_signature_matches_openssl_vector(): void {
		$this->assertSame( self::VECTOR_SIG, ShopAffiliate_Launch_Link::sign( $this->vector_params(), self::SECRET ) );
	}

	public function test_second_vector_with_utf8_and_space(): void {
		$params = ShopAffiliate_Launch_Link::params( 'shop_A-1', 12, "jørgen o'neil@example.dk", 1700000000, 'fedcba9876543210' );
		$this->assertSame( self::VECTOR2_CANONICAL, ShopAffiliate_Launch_Link::canonical( $params ) );
		$this->assertSame( self::VECTOR2_SIG, ShopAffiliate_Launch_Link::sign( $params, self::VECTOR2_SECRET ) );
	}

	public function test_build_produces_exact_url(): void {
		$url = ShopAffiliate_Launch_Link::build( 'https://app.example.com/', self::SECRET, '42', 7, 'ana+shop@example.com', 1710430082, '0123456789abcdef' );
		$this->assertSame( 'https://app.example.com/woocommerce/launch?' . self::VECTOR_CANONICAL . '&sig=' . self::VECTOR_SIG, $url );
	}

	public function test_built_url_round_trips_through_query_parsing_and_verifies(): void {
		$url = ShopAffiliate_Launch_Link::build( 'http://localhost:5080', self::SECRET, '42', 7, 'ana+shop@example.com', 1710430082, '0123456789abcdef' );
		parse_str( (string) parse_url( $url, PHP_URL_QUERY ), $query );
		$this->assertSame( 'ana+shop@example.com', $query['email'] );
		$this->assertTrue( ShopAffiliate_Launch_Link::verify( $query, self::SECRET, 1710430082 + 59 ) );
	}

	public function test_verify_rejects_tampering_wrong_secret_and_expiry(): void {
		$params        = $this->vector_params();
		$params['sig'] = self::VECTOR_SIG;
		$this->assertTrue( ShopAffiliate_Launch_Link::verify( $params, self::SECRET, 1710430082 ) );
		$this->assertFalse( ShopAffiliate_Launch_Link::verify( $params, self::SECRET, 1710430082 + 61 ), 'older than 60 s' );
		$this->assertFalse( ShopAffiliate_Launch_Link::verify( $params, 'other-secret', 1710430082 ) );
		$tampered         = $params;
		$tampered['user'] = '1';
		$this->assertFalse( ShopAffiliate_Launch_Link::verify( $tampered, self::SECRET, 1710430082 ) );
		$extra          = $params;
		$extra['admin'] = '1';
		$this->assertFalse( ShopAffiliate_Launch_Link::verify( $extra, self::SECRET, 1710430082 ), 'added parameters are signed too' );
	}

	public function test_random_nonce_is_16_hex_and_varies(): void {
		$a = ShopAffiliate_Launch_Link::random_nonce();
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{16}$/D', $a );
		$this->assertNotSame( $a, ShopAffiliate_Launch_Link::random_nonce() );
	}

	public function test_build_refuses_without_secret(): void {
		$this->expectException( InvalidArgumentException::class );
		ShopAffiliate_Launch_Link::build( 'http://localhost:5080', '', '42', 7, 'a@example.com', 1710430082, '0123456789abcdef' );
	}

	/**
	 * @dataProvider bad_params
	 */
	public function test_params_reject_bad_input( string $shop, int $user, int $ts, string $nonce ): void {
		$this->expectException( InvalidArgumentException::class );
		ShopAffiliate_Launch_Link::params( $shop, $user, 'a@example.com', $ts, $nonce );
	}

	public static function bad_params(): array {
		return array(
			'no shop'         => array( '', 7, 1710430082, '0123456789abcdef' ),
			'no user'         => array( '42', 0, 1710430082, '0123456789abcdef' ),
			'no time'         => array( '42', 7, 0, '0123456789abcdef' ),
			'short nonce'     => array( '42', 7, 1710430082, '0123' ),
			'uppercase nonce' => array( '42', 7, 1710430082, '0123456789ABCDEF' ),
		);
	}
}
